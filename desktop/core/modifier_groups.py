"""HCPCS Level II modifiers grouped by purpose, and which groups fit a given HCPCS code."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.records import CodeRecord


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """A purpose and the modifiers that serve it."""

    key: str
    title: str
    codes: tuple[str, ...]  # most used first: the order a coder sees them in
    when: str = ""  # one line: the codes and circumstances the group is for

    def rank(self, code: str) -> int:
        return self.codes.index(code) if code in self.codes else len(self.codes)


@dataclass(frozen=True, slots=True)
class ModifierGroup:
    """A purpose with the modifier records of the index that serve it, in code order."""

    key: str
    title: str
    modifiers: tuple[CodeRecord, ...]
    when: str = ""


def _codes(*items: str) -> tuple[str, ...]:
    """Expand 'F1-F9' style runs (same first letter, one trailing digit or letter) and plain codes."""
    out: list[str] = []
    for item in items:
        match = re.fullmatch(r"([A-Z0-9])([A-Z0-9])-\1([A-Z0-9])", item)
        if match is None:
            out.append(item)
            continue
        first, low, high = match.groups()
        out.extend(first + chr(c) for c in range(ord(low), ord(high) + 1))
    return tuple(dict.fromkeys(out))


# Ambulance origin/destination letters (CMS Claims Processing Manual, chapter 15); a modifier is
# the origin letter followed by the destination letter, e.g. RH = residence to hospital.
AMBULANCE_LOCATIONS: dict[str, str] = {
    "D": "Diagnostic or therapeutic site other than P or H when these are used as origin codes",
    "E": "Residential, domiciliary, custodial facility (other than a skilled nursing facility)",
    "G": "Hospital-based ESRD facility",
    "H": "Hospital",
    "I": "Site of transfer (e.g. airport or helicopter pad) between modes of ambulance transport",
    "J": "Freestanding ESRD facility",
    "N": "Skilled nursing facility (SNF)",
    "P": "Physician's office",
    "R": "Residence",
    "S": "Scene of accident or acute event",
    "X": "Intermediate stop at physician's office on the way to the hospital (destination only)",
}

GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "anatomic",
        "Anatomic sites: side, eyelids, fingers, toes, coronary arteries",
        _codes("LT", "RT", "E1-E4", "FA", "F1-F9", "TA", "T1-T9", "LC", "LD", "LM", "RC", "RI"),
        "Procedures and items for one side, an eyelid, a finger or toe, or a coronary artery: name the site.",
    ),
    # Drug modifiers in groups by the kind of drug they serve, so a code shows only the groups of its kind.
    GroupSpec(
        "drug-waste",
        "Drugs: amount discarded",
        _codes("JW", "JZ"),
        "Separately payable drugs from single-dose containers: JW on a line for the amount discarded, "
        "JZ when none was discarded.",
    ),
    GroupSpec(
        "drug-340b",
        "Drugs: acquired under 340B",
        _codes("JG", "TB"),
        "Drugs bought with the 340B program discount, on hospital outpatient claims (JG or TB, as the payer says).",
    ),
    GroupSpec(
        "drug-route",
        "Drugs: route, supply, course of therapy",
        _codes("JA", "JB", "JE", "JF", "JK", "JL", "KD", "EJ", "J1-J3"),
        "Injected or supplied drugs: route on ESRD claims (JA, JB, JE), compounded (JF), supply length (JK, JL), "
        "infused through DME (KD), later claims of a course (EJ), competitive acquisition (J1-J3).",
    ),
    GroupSpec(
        "esa",
        "Erythropoiesis-stimulating agents (ESA)",
        _codes("EA", "EB", "EC", "ED", "EE", "GS"),
        "Only with ESA codes (epoetin, darbepoetin: J0881-J0888, Q4081, Q5105, Q5106): why the ESA was given "
        "and the hemoglobin or hematocrit level.",
    ),
    GroupSpec(
        "skin",
        "Skin substitutes",
        _codes("JC", "JD"),
        "Only with skin substitute codes (Q4100-Q4399, A2001-A2030): applied as a graft (JC) or not (JD).",
    ),
    GroupSpec(
        "antiemetic",
        "Oral anti-emetics",
        _codes("KO", "KP", "KQ"),
        "Only with oral anti-emetic drugs (Q0162-Q0181): a single drug (KO), or the first (KP) or second (KQ) "
        "of a combination.",
    ),
    GroupSpec(
        "biosimilar",
        "Biosimilars: manufacturer",
        _codes("ZA", "ZB", "ZC"),
        "Only with biosimilar biologicals (Q5101-Q5199) where the payer asks for the manufacturer.",
    ),
    GroupSpec("vaccine", "Vaccines", _codes("SL"), "Vaccines supplied by the state at no cost to the provider."),
    GroupSpec(
        "dme",
        "DME, prosthetics and orthotics: new, used, rental, purchase, replacement, repair",
        _codes(
            "NU",
            "UE",
            "RR",
            "NR",
            "LL",
            "KR",
            "KH",
            "KI",
            "KJ",
            "MS",
            "RA",
            "RB",
            "BP",
            "BR",
            "BU",
            "KA",
            "KC",
            "KM",
            "KN",
            "K0-K4",
            "KE",
            "KG",
            "KK",
            "KL",
            "KS",
            "KT",
            "KU",
            "KV",
            "KW",
            "KY",
            "J4",
            "J5",
            "AU",
            "AV",
            "AW",
            "BA",
            "BO",
            "CG",
            "EY",
            "GL",
            "N1-N3",
            "NB",
            "QA",
            "QB",
            "QE",
            "QF",
            "QG",
            "QH",
            "QR",
            "TW",
        ),
        "DME, prosthetics, orthotics and supplies: whether the item is new, used, rented or bought, replaced "
        "or repaired, and the supplier's statements.",
    ),
    GroupSpec(
        "ambulance",
        "Ambulance: origin and destination, arrangement, trip",
        _codes("QM", "QN", "GM", "QL", "TP", "TQ"),
        "Ambulance services (A0021-A0999): where the trip began and ended, and how the service was provided.",
    ),
    GroupSpec(
        "therapy",
        "Therapy: plan of care, assistants, medical policy met",
        _codes("GN", "GO", "GP", "KX", "CQ", "CO"),
        "Outpatient physical, occupational and speech therapy under a plan of care; KX once the policy's "
        "requirements are documented.",
    ),
    GroupSpec(
        "telehealth",
        "Telehealth and virtual services",
        _codes("95", "93", "GT", "GQ", "FQ", "FR", "G0"),
        "Services given by two-way audio and video, audio only, or store and forward.",
    ),
    GroupSpec(
        "liability",
        "Liability notices (ABN) and statutory exclusions",
        _codes("GA", "GK", "GU", "GX", "GY", "GZ", "KB"),
        "A service the payer may deny: whether a notice of liability (ABN) was given, or the service is "
        "excluded by statute.",
    ),
    GroupSpec(
        "distinct",
        "Distinct procedural services",
        _codes("XE", "XP", "XS", "XU"),
        "A service reported with another on the same day that is distinct: another encounter, practitioner, "
        "structure or non-overlapping service.",
    ),
)
OTHERS = GroupSpec("others", "Other modifiers", (), "Modifiers no group here covers; each descriptor says when.")
GROUP_KEYS: tuple[str, ...] = (*(g.key for g in GROUPS), OTHERS.key)


def ambulance_route(code: str) -> tuple[str, str] | None:
    """(origin, destination) meanings when code reads as an origin/destination pair, else None."""
    code = code.strip().upper()
    if len(code) != 2 or code[0] == "X" or any(c not in AMBULANCE_LOCATIONS for c in code):
        return None
    return AMBULANCE_LOCATIONS[code[0]], AMBULANCE_LOCATIONS[code[1]]


def group_of(modifier: CodeRecord) -> str:
    """The key of the group a modifier belongs to."""
    code = modifier.code.strip().upper()
    for spec in GROUPS:
        if code in spec.codes:
            return spec.key
    # Many real modifiers are made of the same letters (RD, EX, GN...); a pair counts as an
    # ambulance route only when its own descriptor says so.
    title = modifier.title.lower()
    if ambulance_route(code) and ("ambulance" in title or "origin" in title or "destination" in title):
        return "ambulance"
    return OTHERS.key


def group_modifiers(modifiers: Iterable[CodeRecord]) -> list[ModifierGroup]:
    """Every group that has at least one modifier (ambulance always: its route letters are listed
    apart), in the order of GROUPS with 'others' last."""
    members: dict[str, list[CodeRecord]] = {key: [] for key in GROUP_KEYS}
    for modifier in modifiers:
        members[group_of(modifier)].append(modifier)
    specs = {spec.key: spec for spec in (*GROUPS, OTHERS)}
    # Within a group the most used come first (JW, JZ before EA); "others" stay in code order.
    return [
        ModifierGroup(
            key,
            specs[key].title,
            tuple(sorted(members[key], key=lambda m: specs[key].rank(m.code.strip().upper()))),
            specs[key].when,
        )
        for key in GROUP_KEYS
        if members[key] or key == "ambulance"
    ]


def _between(code: str, first: str, last: str) -> bool:
    return len(code) == len(first) and first <= code <= last


# HCPCS drug codes by kind, for the drug-modifier groups that serve only one kind.
ESA_CODES = frozenset({"J0881", "J0882", "J0885", "J0887", "J0888", "Q4081", "Q5105", "Q5106"})
DRUG_GROUPS = ["drug-waste", "drug-340b", "drug-route"]


def drug_kind(code: str) -> str:
    """'esa', 'skin', 'antiemetic', 'biosimilar', 'vaccine', 'drug' or '' for an HCPCS code."""
    code = code.strip().upper()
    if code in ESA_CODES:
        return "esa"
    if _between(code, "Q4100", "Q4399") or _between(code, "A2001", "A2030"):
        return "skin"
    if _between(code, "Q0162", "Q0181"):
        return "antiemetic"
    if _between(code, "Q5101", "Q5199"):
        return "biosimilar"
    if _between(code, "Q2034", "Q2039"):
        return "vaccine"
    if code[:1] == "J" or code[:2] in ("A9", "C9", "Q0", "Q5", "Q9"):
        return "drug"
    return ""


def groups_for_code(code: str) -> list[str]:
    """Group keys that fit an HCPCS code's category, most useful first ([] when none stands out)."""
    code = code.strip().upper()
    if len(code) < 2:
        return []
    head, two = code[0], code[:2]
    if two == "A0":
        return ["ambulance"]
    kind = drug_kind(code)
    if kind == "esa":
        return ["esa", *DRUG_GROUPS]
    if kind == "skin":
        return ["skin", "drug-waste", "drug-340b"]
    if kind == "antiemetic":
        return ["antiemetic", "drug-340b"]
    if kind == "biosimilar":
        return [*DRUG_GROUPS, "biosimilar"]
    if kind == "vaccine":
        return ["vaccine"]
    if kind == "drug":
        return list(DRUG_GROUPS)
    if head in ("E", "K") or two in ("A4", "A5", "A6", "A7", "B4", "B9"):
        return ["dme", "anatomic"]
    if head == "L":
        return ["dme", "anatomic"]
    if head == "V":
        return ["anatomic", "dme"]
    if head == "G":
        return ["therapy", "telehealth"]
    return []


def ordered_groups(groups: list[ModifierGroup], code: str) -> tuple[list[ModifierGroup], list[ModifierGroup]]:
    """(the groups that fit code, in fit order; every other group in standard order)."""
    wanted = groups_for_code(code)
    by_key = {g.key: g for g in groups}
    first = [by_key[key] for key in wanted if key in by_key]
    rest = [g for g in groups if g.key not in wanted]
    return first, rest
