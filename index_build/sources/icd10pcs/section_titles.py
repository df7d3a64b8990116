"""ICD-10-PCS titles of sections 2-9 and B-H (placement to substance abuse treatment), as CMS words them.

Each section has the pattern of its titles in the order file: "Fluoroscopy of Single Coronary Artery
using Low Osmolar Contrast", "Introduction of Insulin into Subcutaneous Tissue, Percutaneous Approach",
"Monitoring of Intracranial Pressure, Percutaneous Approach", "Assistance with Cardiac Output using
Balloon Pump, Continuous", "Stereotactic Other Photon Radiosurgery of Brain", "Muscle Performance
Assessment of Neurological System - Head and Neck using Orthosis", "Individual Counseling for Substance
Abuse Treatment, Behavioral". A qualifier that names the substance or the place more precisely takes
the place of the broader label; labels that describe equipment or forces take the noun CMS adds.
"""

from __future__ import annotations

from .phrases import approach_phrase, body_phrase, join, present, spaced, tail


def other_title(section: str, section_label: str, labels: list[str]) -> str:
    """The title of a code of sections 2-9 and B-H from its seven axis labels (see the module docstring)."""
    op, body, p5, p6, p7 = labels[2], labels[3], labels[4], labels[5], labels[6]
    part = body_phrase(present(body))
    p5, p6, p7 = present(p5), present(p6), present(p7)
    if section == "2":
        orifice = labels[1] == "Anatomical Orifices"
        if op in ("Change", "Removal"):
            verb = "Change" if op == "Change" else "Removal of"
            if orifice and p6:  # "Change Nasal Packing Material"
                return f"{verb} {part} {p6}"
            return f"{verb} {p6} on {part}" if p6 else f"{op} of {part}"
        if orifice and part in ("Nasal", "Anorectal"):  # "Packing of Nasal Region using Packing Material"
            part = f"{part} Region"
        return join(f"{op} of {part}" + (f" using {p6}" if p6 else ""), p7)
    if section == "3":
        return _administration(op, part, p5, p6, p7)
    if section == "4":
        if p7 == "Intracranial" and part == "Central Nervous":  # "Monitoring of Intracranial Pressure"
            return join(f"{op} of {p7} {p6}", approach_phrase(p5))
        if p7 in ("Indocyanine Green Dye", "Wireless Sensor"):
            return join(f"{op} of {spaced(part, p6)} using {p7}", approach_phrase(p5))
        return join(f"{op} of {spaced(part, p6)}", p7, approach_phrase(p5))
    if section == "5":
        return _assistance(op, part, p5, p6, p7)
    if section == "6":
        if p6 == "Donor Organ":  # "Perfusion of Circulatory Donor Organ, Single"
            return join(f"{op} of {part} {p6}", p5)
        if p6:
            return join(f"{op} of {part} using {p6}", p5, p7)
        if p7:  # "Pheresis of Cord Blood Stem Cells, Single"
            return join(f"{op} of {_substance(p7)}", p5)
        if not part or part in _SYSTEM_ADJECTIVES:  # "Phototherapy, Circulatory, Single"
            return join(op, part, p5)
        return join(f"{op} of {part}", p5)
    if section in "79" and part in _SPINE_REGIONS:  # "Osteopathic Treatment of Cervical Region"
        part = f"{part} Region"
    if section == "7":
        method = f"{p6} Forces" if p6 in _FORCES else p6
        return f"{section_label} {op} of {part}" + (f" using {method}" if method else "") + tail(p7)
    if section == "9":
        return join(f"{section_label} {op} of {part}", p6, p7)
    if section == "8":
        return _other_procedures(labels[1], part, p5, p6 or op, p7)
    if section in "BC":
        plain = "Contrast" in p5 or section == "C" or p5 == "Fluorescing Agent"
        agent = "" if not p5 else p5 if plain else f"{p5} Contrast"
        if not agent and p6:  # no contrast: the qualifier is the means ("using Intravascular Optical Coherence")
            agent, p6 = p6, ""
        if p6 == "Laser" and p7:  # "Laser Intraoperative"
            p6, p7 = f"{p6} {p7}", ""
        return join(f"{op} of {part}" + (f" using {agent}" if agent else ""), p6, p7)
    if section == "D":  # with an isotope the modality qualifier is a prefix: "Low Dose Rate (LDR) ..."
        if op in ("Stereotactic Radiosurgery", "Other Radiation") and p5:  # the modality names it
            connector = "to" if p5 == "Isotope Administration" else "of"
            return join(f"{p5} {connector} {part}" + (f" using {p6}" if p6 else ""), p7)
        if p6:
            return join(f"{spaced(p5, op)} of {part} using {p6}", p7)
        return join(f"{op} of {part}" + (f" using {p5}" if p5 else ""), p7)
    if section == "F":
        return _rehabilitation(op, part, p5, p6)
    if section == "H":  # "Individual Counseling for Substance Abuse Treatment, Behavioral"
        qualifier = "" if part.endswith(op) else part  # "Other Family Counseling" adds nothing
        return join(f"{op} for {section_label}", qualifier, p5, p6, p7)
    if section == "G":
        if part == f"Other {op}":  # "Other Biofeedback" is Biofeedback; ECT and Counseling keep their Other
            return part if op in ("Electroconvulsive Therapy", "Counseling") else op
        if op == "Counseling" and part:  # "Educational Counseling"
            return spaced(part.removesuffix(" Counseling"), op)
        return join(op, part, p5, p6, p7)
    return join(f"{op} of {part}", p5, p6, p7)


_SPINE_REGIONS = frozenset({"Cervical", "Thoracic", "Lumbar"})
# Section 6 systems named as adjectives, after the therapy: "Decompression, Circulatory, Single"
_SYSTEM_ADJECTIVES = frozenset({"Central Nervous", "Circulatory", "Musculoskeletal", "Urinary"})
# Section 7 methods that are forces: "Osteopathic Treatment of Head using Indirect Forces"
_FORCES = frozenset(
    {
        "Articulatory-Raising",
        "High Velocity-Low Amplitude",
        "Indirect",
        "Low Velocity-High Amplitude",
        "Muscle Energy-Isometric",
        "Muscle Energy-Isotonic",
    }
)


def _other_procedures(system: str, part: str, approach: str, method: str, qualifier: str) -> str:
    """Section 8: 'Examination of Nervous System', 'Sperm Collection', 'Collection of Blood from Indwelling
    Device in Circulatory System', 'Fluorescence Guided Procedure of ... using Aminolevulinic Acid, ...'."""
    route = approach_phrase(approach)
    if method == "Other Method" and qualifier:  # the qualifier is the procedure
        return f"{qualifier} {'from' if qualifier == 'Suture Removal' else 'of'} {part}" if part else qualifier
    if method == "Collection":
        if system == "Indwelling Device":
            return f"Collection of {qualifier} from Indwelling Device in {part}"
        return f"{qualifier} Collection" if qualifier else method
    if method == "Acupuncture":
        return method + (f" using {qualifier}" if qualifier else "")
    if method == "Therapeutic Massage":
        return method + (f" of {qualifier}" if qualifier else "")
    if method == "Fluorescence Guided Procedure" and qualifier:
        return join(f"{method} of {part} using {qualifier}", route)
    if approach == "External" and method in ("Computer Assisted Procedure", "Robotic Assisted Procedure"):
        route = ""
    if not part:  # "External Confocal Microscopy, Intraoperative Specimen Analysis"
        return join(spaced(present(approach), method), qualifier)
    return join(f"{method} of {part}", route, qualifier)


# Qualifiers whose titles name the approach without the word Approach ("..., Open")
_BARE_APPROACH = frozenset({"Immunostimulator", "Immunosuppressive", "Recombinant Human-activated Protein C"})


def _substance(label: str) -> str:
    """'Stem Cells, Embryonic' -> 'Embryonic Stem Cells'; other substances as printed."""
    head, _, kind = label.partition(", ")
    return f"{kind} {head}" if head == "Stem Cells" and kind else label


def _administration(op: str, part: str, approach: str, substance: str, qualifier: str) -> str:
    """Section 3: 'Introduction of Other Antineoplastic into Central Vein, Percutaneous Approach'.

    The qualifier names the substance more precisely and takes its place ('Insulin', not 'Hormone');
    Autologous / Nonautologous come before it; Diagnostic comes last.
    """
    route = approach_phrase(approach)
    substance = _substance(substance)
    if op == "Transfusion":
        return join(f"Transfusion of {spaced(qualifier.replace(', ', ' '), substance)} into {part}", route)
    if op == "Irrigation":
        if approach == "External" and part:  # CMS names no approach for an external irrigation
            route = ""
        return join(f"Irrigation of {part or 'Indwelling Device'} using {substance}", route, qualifier)
    last = ""
    if qualifier in _BARE_APPROACH:
        route = present(approach)
    if qualifier in ("", "Other Substance"):
        pass  # CMS leaves this catch-all qualifier out of the title
    elif qualifier == "Diagnostic":
        last = qualifier
    elif qualifier in ("Autologous", "Nonautologous", "Hyperthermic"):
        substance = f"{qualifier} {substance}"
    elif qualifier == "Monoclonal Antibody":
        substance = f"{substance}, {qualifier},"
    elif substance.split()[-1] in qualifier:
        substance = qualifier  # "Antineoplastic" + "Other Antineoplastic" -> "Other Antineoplastic"
    elif substance == "Gas" or qualifier == "Blood Brain Barrier Disruption":
        substance = f"{qualifier} {'Gas' if substance == 'Gas' else 'Substance'}"
    else:
        substance = qualifier  # "Hormone" + "Insulin" -> "Insulin"
    return join(f"{op} of {substance} into {part}" if substance else f"{op} into {part}", route, last)


# Section F equipment labels that name a thing: CMS prints them as they are ("using Orthosis"); every
# other label describes the equipment and takes the word ("using Audiovisual Equipment").
_EQUIPMENT_NOUNS = frozenset(
    {
        "Audiometer",
        "Computer",
        "Negative Pressure Therapy",
        "Orthosis",
        "Other Equipment",
        "Physical Agents",
        "Prosthesis",
        "Sound Field / Booth",
        "Speech Prosthesis",
        "Tympanometer",
    }
)


def _rehabilitation(op: str, part: str, qualifier: str, equipment: str) -> str:
    """Section F: 'Muscle Performance Assessment of Neurological System - Head and Neck using Orthosis'.

    The type qualifier names the test or treatment; the type gives its last word (Assessment,
    Treatment), except Device Fitting (both words) and Caregiver Training ('... Training in ...').
    """
    if op == "Caregiver Training":
        head = f"Caregiver Training in {qualifier}" if qualifier else op
    elif op == "Device Fitting":
        head = spaced(qualifier, op)
    else:
        head = spaced(qualifier, op.split()[-1]) if qualifier else op
    if part:
        head += f" of {part}"
    if equipment:
        head += f" using {equipment}" + ("" if equipment in _EQUIPMENT_NOUNS else " Equipment")
    return head


def _assistance(op: str, system: str, duration: str, function: str, qualifier: str) -> str:
    """Section 5: 'Assistance with Cardiac Output using Balloon Pump, Continuous'; ventilation names its
    duration before its mode, circulatory oxygenation and filtration are 'Extracorporeal ...'."""
    if op == "Assistance" and function == "Ventilation":
        return join(f"Assistance with {system} Ventilation", duration, qualifier)
    if op == "Assistance" and system == "Circulatory" and function in ("Oxygenation", "Filtration"):
        return join(f"Extracorporeal {spaced(qualifier, function)}", duration)
    if op == "Assistance" and function == "Cerebral Embolic Filtration":
        return join(spaced(duration, function), qualifier)
    if op == "Assistance" and function == "Oxygenation":
        return join(f"Assistance with {system} {function}", qualifier)
    if op == "Performance" and (system, function) == ("Circulatory", "Oxygenation"):
        return join("Extracorporeal Oxygenation", qualifier, "" if duration == "Continuous" else duration)
    if op == "Assistance":
        using = f" using {qualifier}" if qualifier else ""
        return join(f"Assistance with {spaced(system, function)}{using}", duration)
    if op == "Performance" and (system, function) == ("Respiratory", "Ventilation"):
        return join("Respiratory Ventilation", duration, qualifier)
    return join(f"{op} of {spaced(system, function)}", duration, qualifier)
