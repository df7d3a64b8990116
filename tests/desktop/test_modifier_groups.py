"""Grouping HCPCS modifiers by purpose, and which groups fit which codes (pure Python)."""

from __future__ import annotations

from desktop.core.modifier_groups import (
    GROUP_KEYS,
    _codes,
    ambulance_route,
    group_modifiers,
    group_of,
    groups_for_code,
    ordered_groups,
)
from desktop.core.records import CodeRecord, CodeSet, Kind


def modifier(code: str, title: str = "") -> CodeRecord:
    return CodeRecord(CodeSet.HCPCS, code, title or f"Modifier {code}", Kind.MODIFIER)


def test_runs_expand() -> None:
    assert _codes("LT", "F1-F4") == ("LT", "F1", "F2", "F3", "F4")
    assert _codes("E1-E4", "E2") == ("E1", "E2", "E3", "E4")


def test_known_modifiers_land_in_their_group() -> None:
    expected = {
        "LT": "anatomic",
        "RT": "anatomic",
        "E3": "anatomic",
        "FA": "anatomic",
        "T9": "anatomic",
        "LC": "anatomic",
        "RC": "anatomic",
        "JW": "drug-waste",
        "JZ": "drug-waste",
        "JG": "drug-340b",
        "EA": "esa",
        "JC": "skin",
        "KO": "antiemetic",
        "NU": "dme",
        "RR": "dme",
        "UE": "dme",
        "KH": "dme",
        "MS": "dme",
        "RA": "dme",
        "QM": "ambulance",
        "QN": "ambulance",
        "GN": "therapy",
        "GO": "therapy",
        "GP": "therapy",
        "KX": "therapy",
        "CQ": "therapy",
        "GT": "telehealth",
        "95": "telehealth",
        "FQ": "telehealth",
        "GA": "liability",
        "XU": "distinct",
        "25": "others",
        "Q6": "others",
    }
    assert {code: group_of(modifier(code)) for code in expected} == expected


def test_letter_pairs_are_ambulance_only_when_the_descriptor_says_so() -> None:
    # Real HCPCS modifiers made of origin/destination letters that are not ambulance routes.
    assert group_of(modifier("EX", "Expatriate beneficiary")) == "others"
    assert group_of(modifier("RD", "Drug provided to beneficiary, but not administered incident-to")) == "others"
    assert group_of(modifier("RH", "Ambulance: residence to hospital")) == "ambulance"
    assert ambulance_route("RH") == ("Residence", "Hospital")
    assert ambulance_route("rx") is not None  # X is a destination
    assert ambulance_route("XH") is None  # ...but never an origin
    assert ambulance_route("LT") is None


def test_groups_keep_standard_order_and_others_last() -> None:
    groups = group_modifiers([modifier(c) for c in ("EB", "JZ", "ZZ", "JW", "RT", "LT", "GP", "NU", "AA", "EA")])
    assert [g.key for g in groups] == ["anatomic", "drug-waste", "esa", "dme", "ambulance", "therapy", "others"]
    assert [m.code for m in groups[0].modifiers] == ["LT", "RT"]
    assert [m.code for m in groups[1].modifiers] == ["JW", "JZ"]  # most used first, not A-Z
    assert [m.code for m in groups[2].modifiers] == ["EA", "EB"]
    assert [m.code for m in groups[-1].modifiers] == ["ZZ", "AA"]  # others keep the index order
    assert groups[4].modifiers == ()  # ambulance is always listed: its route letters are explained
    assert all(g.when for g in groups)  # each group says in one line when it applies
    assert set(GROUP_KEYS) >= {g.key for g in groups}


def test_groups_that_fit_a_code_come_first() -> None:
    assert groups_for_code("J9035") == ["drug-waste", "drug-340b", "drug-route"]  # chemotherapy: no ESA
    assert groups_for_code("J0885")[0] == "esa" and "drug-waste" in groups_for_code("J0885")
    assert groups_for_code("Q0162") == ["antiemetic", "drug-340b"]
    assert groups_for_code("A0428") == ["ambulance"]
    assert groups_for_code("E0100")[0] == "dme"
    assert groups_for_code("K0001")[0] == "dme"
    assert groups_for_code("L3000") == ["dme", "anatomic"]
    assert groups_for_code("G0151")[0] == "therapy"
    assert groups_for_code("Q4101") == ["skin", "drug-waste", "drug-340b"]
    assert groups_for_code("S9999") == []
    groups = group_modifiers([modifier(c) for c in ("LT", "JW", "EA", "NU", "GP")])
    first, rest = ordered_groups(groups, "J9035")
    assert [g.key for g in first] == ["drug-waste"]
    assert [g.key for g in rest] == ["anatomic", "esa", "dme", "ambulance", "therapy"]
