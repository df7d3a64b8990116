"""Readable ICD-10-PCS titles built from the axis labels, worded as CMS's order file words them.

The rule, for Medical and Surgical (section 0), Obstetrics (1) and New Technology (X):

    <operation phrase> [with <device>][, <qualifier>], <approach> Approach[, Diagnostic]

- The operation phrase follows CMS's wording per root operation: "Resection of Appendix",
  "Repair Abdominal Wall" (Bypass, Map, Release, Repair, Reposition, Supplement, Transfer take
  no "of"), "Insertion of <device> into ...", "Removal of <device> from ...", "Revision of
  <device> in ...", "Change <device> in ...", "Control Bleeding in ...", "Detachment at ...",
  "Extirpation of Matter from ...", "Fragmentation in ..." ("of" in the great vessels).
- Bypass and Transfer name their qualifier as the destination: "Bypass Stomach to Jejunum";
  coronary and pulmonary bypasses name the source: "Bypass Coronary Artery, One Artery from Aorta".
- Body parts and devices are read naturally (phrases.py): "Kidney, Right" -> "Right Kidney",
  "Synthetic Substitute, Metal" -> "Metal Synthetic Substitute"; a named device by its name
  ("Insertion of Endobronchial Valve into ..."), a kind after it ("with Intraluminal Device, Flow
  Diverter").
- The qualifier goes where CMS puts it: a technique is the means ("Destruction of Liver using Laser
  Interstitial Thermal Therapy"); hand-assisted, ultrasonic and donor qualifiers, Diagnostic and the
  New Technology group come after the approach; a qualifier naming the part operated on replaces the
  body part ("Occlusion of Hemorrhoidal Plexus"); the fetal part sits inside Products of Conception
  ("Repair Nervous System in Products of Conception"); a valve is "created from" another.
- "No Device", "No Qualifier" and "None" are omitted. Approaches starting with "Via" take no
  "Approach", except in the tables whose titles add it (_says_approach).

New Technology names a technology as the means of some root operations ("Fusion of ... using ...")
and a physiological measurement by what it measures. The other sections are in section_titles.py.
Checked against every title of the FY2026 order file (tests/index_build/test_new_sources_real.py):
8 of 80,029 differ, each worded unlike the rest of its table.
"""

from __future__ import annotations

from . import section_titles
from .phrases import EMPTY_LABELS, approach_phrase, body_phrase, device_phrase, join, present

__all__ = [
    "EMPTY_LABELS",
    "approach_phrase",
    "body_part_title",
    "body_phrase",
    "code_title",
    "device_phrase",
    "short_title",
    "surgical_title",
]

# Qualifiers that name the part of the body part operated on: "Occlusion of Hemorrhoidal Plexus"
_SUB_PARTS = frozenset(
    {
        "Ductus Arteriosus",
        "Hemorrhoidal Plexus",
        "Left Atrial Appendage",
        "Prostatic Artery, Left",
        "Prostatic Artery, Right",
        "Uterine Artery, Left",
        "Uterine Artery, Right",
    }
)
# Qualifiers read right after the body part, before the device ("Reposition Upper Tooth, Single, with ...")
_BEFORE_DEVICE = frozenset({"Single", "Multiple", "All", "Sesamoid Bone(s) 1st Toe"})
_NO_OF = frozenset({"Map", "Release", "Repair", "Reposition", "Supplement"})
_TRANSFER_WITH = frozenset(
    {
        "Skin",
        "Subcutaneous Tissue",
        "Skin and Subcutaneous Tissue",
        "Skin, Subcutaneous Tissue and Fascia",
    }
)
_SURGICAL_SECTIONS = frozenset({"0", "1", "X"})
_WITHIN_CONCEPTION = {
    "Repair": "Repair {} in Products of Conception",
    "Transplantation": "Transplantation of {} into Products of Conception",
    "Drainage": "Drainage of {} from Products of Conception",
}
# Qualifiers that name the technique: "Destruction of Liver using Laser Interstitial Thermal Therapy, ..."
_USING = frozenset(
    {
        "Laser Interstitial Thermal Therapy",
        "Irreversible Electroporation",
        "Stereoelectroencephalographic Radiofrequency Ablation",
        "Connectomic Analysis",
        "Stent Retriever",
    }
)
# Qualifiers CMS prints after the approach: "Resection of Appendix, Percutaneous Endoscopic Approach, Hand-Assisted"
_AFTER_APPROACH = frozenset({"Hand-Assisted", "Ultrasonic", "Vertical"})
_DONOR = frozenset({"Allogeneic", "Syngeneic", "Zooplastic"})  # after the approach in Resection only
# Body systems whose Fragmentation titles read "Fragmentation of" (the others "Fragmentation in")
_VESSELS = frozenset({"Heart and Great Vessels", "Upper Arteries", "Lower Arteries", "Upper Veins", "Lower Veins"})
_DEVICE_FIRST = frozenset({"Insertion", "Removal", "Revision", "Change", "Introduction"})


def body_part_title(section: str, section_label: str, operation: str, body: str) -> str:
    """The title of a 4-character body part record: 'Resection of Appendix'."""
    part = body_phrase(present(body))
    if not part:
        return operation
    if section in _SURGICAL_SECTIONS:
        return _surgical_head(operation, part, "")
    if section in "GH":
        return join(operation, part)
    if section in "79":
        return f"{section_label} {operation} of {part}"
    connector = {
        "Introduction": "into",
        "Transfusion": "into",
        "Assistance": "with",
        "Change": "on",
        "Removal": "from",
    }.get(operation, "of")
    return f"{operation} {connector} {part}"


def _surgical_head(operation: str, body: str, device: str) -> str:
    """The operation phrase of a surgical title, device included where CMS puts it first."""
    if not body:  # a few New Technology tables have no body part ("None"): name the device instead
        return f"{operation} of {device}" if device else operation
    if operation == "Insertion" or (operation == "Introduction" and device):
        return f"{operation} of {device} into {body}" if device else f"{operation} into {body}"
    if operation == "Removal":
        return f"Removal of {device} from {body}" if device else f"Removal from {body}"
    if operation == "Revision":
        return f"Revision of {device} in {body}" if device else f"Revision in {body}"
    if operation == "Change":
        return f"Change {device} in {body}" if device else f"Change in {body}"
    fixed = {
        "Control": "Control Bleeding in",
        "Detachment": "Detachment at",
        "Extirpation": "Extirpation of Matter from",
        "Fragmentation": "Fragmentation in",
    }
    if operation in fixed:
        return f"{fixed[operation]} {body}"
    if operation in _NO_OF or operation in ("Bypass", "Transfer"):
        return f"{operation} {body}"
    return f"{operation} of {body}"


def surgical_title(operation: str, body: str, approach: str, device: str, qualifier: str) -> str:
    """Medical and Surgical, Obstetrics and New Technology titles (see the module docstring)."""
    part, dev, qual = body_phrase(present(body)), device_phrase(device), present(qualifier)
    if qual in _SUB_PARTS:
        part, qual = body_phrase(qual), ""
    if qual == "Biventricular" and dev:  # "Insertion of Biventricular Short-term External Heart Assist System"
        dev, qual = f"{qual} {dev}", ""
    if "Valve" in qual and "Valve" in body and operation in ("Supplement", "Repair", "Creation"):
        # a valve made from another: "Supplement Mitral Valve created from Left Atrioventricular Valve"
        origin = body_phrase(qual)
        if operation == "Creation":
            using = f" using {dev}" if dev else ""
            return join(f"Creation of {part} from {origin}{using}", approach_phrase(approach))
        part, qual = f"{part} created from {origin}", ""
    head = _surgical_head(operation, part, dev)
    if operation == "Creation" and qual and body.startswith("Perineum"):  # "Creation of Vagina in Male Perineum"
        head, qual = f"Creation of {qual} in {part}", ""
    if operation == "Replacement" and "Flap" in qual:  # the flap is the substitute: "... using ... Flap"
        return join(f"{head} using {qual}", approach_phrase(approach))
    if operation == "Replacement" and qual.startswith("Toe, ") and dev:  # "with Right Toe, Autologous ..."
        return join(f"{head} with {body_phrase(qual)}, {dev}", approach_phrase(approach))
    if operation == "Insertion" and qual.startswith("Via ") and dev:  # "..., Via Umbilical Vein, into ..."
        return join(f"Insertion of {dev}, {qual}, into {part}", approach_phrase(approach))
    if qual == "Rapid Deployment Technique" and dev:
        return join(f"{head} with {dev}, using {qual}", approach_phrase(approach))
    if body == "Products of Conception" and qual and operation in _WITHIN_CONCEPTION:
        # the qualifier is the part of the fetus: "Repair Nervous System in Products of Conception"
        inner = f"Other {qual.removesuffix(', Other')}" if qual.endswith(", Other") else qual
        head, qual = _WITHIN_CONCEPTION[operation].format(inner), ""
    elif qual == "Manual" and operation == "Extraction":
        head, qual = f"Manual {head}", ""
    device_in_head = operation in _DEVICE_FIRST and (operation != "Introduction" or bool(dev))
    with_device = f" with {dev}" if dev and not device_in_head else ""
    if not part and with_device:  # "Measurement of Infection, Computer-aided Triage and Notification"
        head, with_device = f"{operation} of {dev}", ""
    last = ""
    after = qual in _AFTER_APPROACH or (operation == "Resection" and qual in _DONOR)
    if qual in _BEFORE_DEVICE and "Tooth" in body:
        if operation in ("Excision", "Drainage"):
            after = True
        elif operation == "Repair":
            head = f"Repair of {part}"
    open_tooth = operation == "Reposition" and "Tooth" in body and approach != "External"  # after the device
    if qual in _BEFORE_DEVICE and operation in ("Reposition", "Replacement") and with_device and not open_tooth:
        head, qual, with_device = f"{head}, {qual}", "", f", with {dev}"
    if qual == "Diagnostic" or qual.startswith("New Technology Group") or after:
        qual, last = "", qual
    if operation == "Bypass" and qual:
        word = "from" if body.startswith(("Coronary Artery", "Pulmonary Trunk", "Pulmonary Artery")) else "to"
        head, qual = f"{head} {word} {body_phrase(qual)}", ""
        if body.startswith("Pulmonary") and not dev:  # CMS prints the placeholder here
            with_device = " with No Device"
    elif operation == "Transfer" and qual:
        if qual in _TRANSFER_WITH:
            head, qual = f"{head} with {qual}", ""
        elif "Flap" not in qual:
            head, qual = f"{head} to {body_phrase(qual)}", ""
    elif operation == "Dilation" and qual and qual not in ("Sustained Release", "Temporary"):
        if "Balloon" in qual:  # "... with Intraluminal Device, using Drug-Coated Balloon"
            head, qual = (f"{head}{with_device}, using {qual}" if with_device else f"{head} using {qual}"), ""
            with_device = ""
        else:
            head, qual = f"{head}, {qual}", ""
            with_device = f", with {dev}" if with_device else ""
    elif qual in _USING:
        head, qual = f"{head} using {qual}", ""
    return join(head + with_device, qual, approach_phrase(approach), last)


# New Technology: root operations whose device / technology is the means ("Fusion of ... using ...")
_X_USING = frozenset({"Bypass", "Destruction", "Division", "Extirpation", "Fusion", "Inspection", "Irrigation"})
# New Technology device heads read with their modifier first ("Pedicle Based Carbon/PEEK Spinal ...")
_X_DEVICE_HEADS = frozenset(
    {
        "Carbon/PEEK Spinal Stabilization Device",
        "Interbody Fusion Device",
        "Internal Fixation Device",
        "Intracardiac Pacemaker",
    }
)
_X_SUBSTANCE_MODIFIERS = frozenset({"Inactivated", "Autologous", "Allogeneic"})
_MEASURES = ("Saturation", "Pressure", "Flow")  # what a monitoring measures, named after the body part


def _x_device(label: str) -> str:
    head, _, rest = label.partition(", ")
    if head in _X_DEVICE_HEADS and rest:
        return f"{rest} {head}"
    return label


def _new_technology(system: str, op: str, body: str, approach: str, device: str, qualifier: str) -> str:
    """Section X: the surgical pattern; the technology is the means of some root operations
    ('Fusion of Right Ankle Joint using Open-truss Design Internal Fixation Device'), substances
    are named with their modifier first ('Inactivated Coagulation Factor Xa'), and a physiological
    measurement is named by what it measures ('Measurement of Infection, ...')."""
    dev = present(device)
    part = body_phrase(present(body))
    group = present(qualifier)
    route = "" if approach == "External" else approach_phrase(approach)
    if system == "Physiological Systems" and op in ("Measurement", "Monitoring") and ", " in dev:
        first = dev.split(", ")[0]
        named_alone = (" " in first or first == "Infection") and (op == "Measurement" or approach == "External")
        measured = dev if named_alone or not part else f"{part} {dev}"
        return join(f"{op} of {measured}", "" if op == "Measurement" else route, group)
    if op == "Assistance" and dev:  # "Circulatory Filtration, Blood Pathogens"
        return join(dev if part in dev else f"{part} {dev}", approach_phrase(approach), group)
    if op == "Other Procedures" and dev:  # the technology is the procedure
        return join(f"{dev} of {part}" if part else dev, route, group)
    if op == "Inspection" and dev:  # the scope or technique says how: no approach
        return join(f"Inspection of {part} using {dev}", group)
    if system == "Extracorporeal" and op == "Introduction":
        target = "" if part == "Extracorporeal" else f" to {part}"
        return join(f"Extracorporeal Introduction of {dev}{target}", route, group)
    technology = not any(word in dev for word in ("Device", "Substitute", "Intraluminal", "Valve"))
    if op in ("Introduction", "Transfusion") and dev:
        head, _, rest = dev.partition(", ")
        if rest in _X_SUBSTANCE_MODIFIERS:
            dev = f"{rest} {head}"
        elif head == "Plasma" and rest.startswith("Convalescent"):
            dev = f"Convalescent Plasma{rest.removeprefix('Convalescent')}"
        if op == "Transfusion":
            return join(f"Transfusion of {dev} into {part}", approach_phrase(approach), group)
    if op == "Monitoring" and dev and part and ", " not in dev:  # "Monitoring of Upper GI Oxygen Saturation"
        measured = f"{part} {dev}" if dev.endswith(_MEASURES) else f"{part} using {dev}"
        return join(f"Monitoring of {measured}", approach_phrase(approach), group)
    means = (
        op in _X_USING
        or (op == "Reposition" and (technology or "Distraction" in dev))
        or (op == "Replacement" and technology and "Skin" not in part)  # skin takes its graft "with"
        or (op in ("Replacement", "Restriction") and dev.startswith("Branched "))
    )
    if dev and part and means:
        verb = f"{op} of" if op == "Reposition" else _surgical_head(op, part, "").removesuffix(f" {part}")
        return join(f"{verb} {part} using {_x_device(dev)}", approach_phrase(approach), group)
    return surgical_title(op, body, approach, _x_device(dev) if dev else device, qualifier)


def _says_approach(system: str, op: str, body: str, qualifier: str) -> bool:
    """The tables whose 'Via Natural or Artificial Opening' approaches CMS follows with 'Approach':
    lymphatic repairs and diagnostic drainages, inspections of the body's tracts."""
    if system == "Lymphatic and Hemic Systems":
        return op == "Repair" or (op == "Drainage" and qualifier == "Diagnostic")
    return system == "Anatomical Regions, General" and op == "Inspection" and body.endswith(" Tract")


def code_title(section: str, section_label: str, labels: list[str]) -> str:
    """The readable title of a 7-character code from its seven axis labels (positions 1-7)."""
    op, body, p5, p6, p7 = labels[2], labels[3], labels[4], labels[5], labels[6]
    if section == "X":
        return _new_technology(labels[1], op, body, p5, p6, p7)
    if section in _SURGICAL_SECTIONS:
        title = surgical_title(op, body, p5, p6, p7)
        great_vessel = body != "Pericardium" and not body.startswith("Coronary Artery")
        if op == "Fragmentation" and labels[1] in _VESSELS and great_vessel:
            title = title.replace("Fragmentation in ", "Fragmentation of ", 1)
        if op == "Supplement" and (labels[1] == "Subcutaneous Tissue and Fascia" or body.startswith("Eye, ")):
            title = title.replace("Supplement ", "Supplement of ", 1)
        if p5.startswith("Via ") and _says_approach(labels[1], op, body, p7):
            title = title.replace(f", {p5}", f", {p5} Approach", 1)
        if (op, body) == ("Extraction", "Ova"):  # "Extraction of Ova, Percutaneous": the approach alone
            title = title.removesuffix(" Approach")
        return title
    return section_titles.other_title(section, section_label, labels)


def short_title(labels: list[str]) -> str:
    """A compact title: the labels of positions 3-7 as printed, placeholders left out."""
    return ", ".join(label for label in labels[2:] if present(label))
