"""Readable ICD-10-PCS titles built from the axis labels, in the style of CMS's long titles.

The rule, for Medical and Surgical (section 0), Obstetrics (1) and New Technology (X):

    <operation phrase> [with <device>][, <qualifier>], <approach> Approach[, Diagnostic]

- The operation phrase follows CMS's wording per root operation: "Resection of Appendix",
  "Repair Abdominal Wall" (Bypass, Map, Release, Repair, Reposition, Supplement, Transfer take
  no "of"), "Insertion of <device> into ...", "Removal of <device> from ...", "Revision of
  <device> in ...", "Change <device> in ...", "Control Bleeding in ...", "Detachment at ...",
  "Extirpation of Matter from ...", "Fragmentation in ...".
- Bypass and Transfer name their qualifier as the destination: "Bypass Stomach to Jejunum";
  coronary artery bypasses name the source: "Bypass Coronary Artery, One Artery from Aorta".
- Body parts are read naturally: "Kidney, Right" -> "Right Kidney", "Esophagus, Lower" ->
  "Lower Esophagus", "Hip Joint, Acetabular Surface, Right" -> "Right Hip Joint, Acetabular
  Surface"; labels whose second part is not a modifier ("Coronary Artery, One Artery",
  "Stomach, Pylorus") stay as printed. Devices likewise: "Synthetic Substitute, Metal" ->
  "Metal Synthetic Substitute", "Intraluminal Device, Drug-eluting, Two" -> "Two Drug-eluting
  Intraluminal Devices".
- "No Device", "No Qualifier" and "None" are omitted. Approaches starting with "Via" take no
  "Approach". The Diagnostic qualifier and New Technology groups come last; Dilation names its
  qualifier before the device ("Dilation of ..., Bifurcation, with ... Device").

Other sections use the pattern of their CMS titles: "Fluoroscopy of Multiple Coronary Arteries
using Low Osmolar Contrast", "Introduction of Nutritional Substance into Upper GI, Via Natural or
Artificial Opening", "Measurement of Cardiac Sampling and Pressure, Right Heart, Percutaneous
Approach", "Assistance with Cardiac Output using Balloon Pump, Continuous", "Low Dose Rate (LDR)
Brachytherapy of Ear using Palladium 103 (Pd-103)". They are readable approximations; the axes
of each code stay authoritative.
"""

from __future__ import annotations

EMPTY_LABELS = frozenset({"No Device", "No Qualifier", "None"})
_LATERAL = frozenset({"Right", "Left", "Bilateral"})
_LEADING = frozenset({"Single", "Infant"})  # read first even after a head that keeps its order
# "A, B" labels whose B is not a modifier of A: CMS prints them unchanged.
_KEEP_HEADS = frozenset(
    {
        "Coronary Artery",
        "Stomach",
        "Thoracic Aorta",
        "Hip Joint",
        "Knee Joint",
        "Products of Conception",
        "First Trimester",
        "Second Trimester",
        "Third Trimester",
        "Thoracic Sympathetic Nerve",
        "Musculoskeletal System",
        "Whole Body",
    }
)
# "A, B and C" labels that are lists of body parts, not "B and C A".
_LIST_HEADS = frozenset(
    {
        "Chest",
        "Gallbladder",
        "Kidneys",
        "Kidney",
        "Ileal Loop",
        "Skin",
        "Ear",
        "Tongue",
        "Teeth",
    }
)
_DEVICE_NAMES = {
    "Cardiac Lead, Pacemaker": "Pacemaker Lead",
    "Cardiac Lead, Defibrillator": "Defibrillator Lead",
    "Infusion Device, Pump": "Infusion Pump",
    "Intraluminal Device, Endotracheal Airway": "Endotracheal Airway",
}
_DEVICE_HEADS = frozenset(
    {
        "External Fixation Device",
        "Internal Fixation Device",
        "Synthetic Substitute",
        "Vascular Access Device",
        "Stimulator Generator",
        "Monitoring Device",
        "Spinal Stabilization Device",
        "Hearing Device",
        "Intraluminal Device",
    }
)
_COUNTS = frozenset({"Two", "Three", "Four or More"})
_NAMED_PARTS = ("Valve", "Scaffold", "Meniscus", "Device")
# Devices a title names by their own name ("Insertion of Airway into ...", "... with Intraocular Telescope")
_NAMED_DEVICES = frozenset({"Airway", "Endobronchial Valve", "Intraocular Telescope", "Pessary"})
# Kinds CMS prints after the device ("with Intraluminal Device, Flow Diverter")
_KIND_AFTER = frozenset({"Endovascular Anchors", "Flow Diverter", "Pneumatic", "Vertebral Body Tether"})
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


def present(label: str) -> str:
    """The label, or '' for the 'No Device' / 'No Qualifier' / 'None' placeholders."""
    return "" if label in EMPTY_LABELS else label


def body_phrase(label: str) -> str:
    """A body part label read naturally: 'Kidney, Right' -> 'Right Kidney'."""
    parts = label.split(", ")
    prefix = ""
    if len(parts) > 1 and parts[-1] in _LATERAL:
        prefix = parts.pop() + " "
    if parts[-1] == "Confluence":  # "Pulmonary Vein, Confluence" -> "Pulmonary Vein Confluence"
        return prefix + " ".join(parts)
    if len(parts) == 2 and parts[1] in _LEADING:  # "Coronary Artery, Single" -> "Single Coronary Artery"
        return f"{prefix}{parts[1]} {parts[0]}"
    if (
        len(parts) == 2
        and parts[0] not in _KEEP_HEADS
        and parts != ["Hepatobiliary System", "All"]
        and not _is_list(parts)
    ):
        return f"{prefix}{parts[1]} {parts[0]}"
    return prefix + ", ".join(parts)


def _is_list(parts: list[str]) -> bool:
    # "Chest, Abdomen and Pelvis" lists parts; "Skin, Head and Neck" is the skin of the head and neck.
    return parts[0] in _LIST_HEADS and " and " in parts[1] and not parts[1].startswith(("Head and", "Right and"))


def device_phrase(label: str) -> str:
    """A device label read naturally: 'Synthetic Substitute, Metal' -> 'Metal Synthetic Substitute'."""
    label = present(label)
    if label in _DEVICE_NAMES:
        return _DEVICE_NAMES[label]
    parts = label.split(", ")
    if len(parts) < 2 or parts[0] not in _DEVICE_HEADS:
        return label
    head, rest = parts[0], parts[1:]
    if len(rest) == 1 and (rest[0] in _NAMED_DEVICES or rest[0].endswith("Cochlear Prosthesis")):
        return rest[0]  # "Intraluminal Device, Endobronchial Valve" -> "Endobronchial Valve"
    if len(rest) == 1 and rest[0] in _KIND_AFTER:
        return label  # "Intraluminal Device, Flow Diverter" as printed
    if len(rest) == 1 and rest[0].startswith("Unicondylar "):  # "Medial Unicondylar Synthetic Substitute"
        return " ".join([*reversed(rest[0].split()), head])
    if any(noun in word for word in rest[-1].split() for noun in _NAMED_PARTS):
        return label  # "Intraluminal Device, Bioprosthetic Valve": the second part names a thing, not a kind
    if rest[-1] in _COUNTS:  # "Intraluminal Device, Drug-eluting, Two" -> "Two Drug-eluting ... Devices"
        return " ".join([rest[-1], *rest[:-1], head + "s"])
    return " ".join([rest[0], head]) + "".join(", " + part for part in rest[1:])


def approach_phrase(label: str) -> str:
    """'Open' -> 'Open Approach'; 'Via Natural or Artificial Opening' stays as printed."""
    label = present(label)
    if not label or label.startswith("Via"):
        return label
    return f"{label} Approach"


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def body_part_title(section: str, section_label: str, operation: str, body: str) -> str:
    """The title of a 4-character body part record: 'Resection of Appendix'."""
    part = body_phrase(present(body))
    if not part:
        return operation
    if section in _SURGICAL_SECTIONS:
        return _surgical_head(operation, part, "")
    if section in "GH":
        return _join(operation, part)
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
            return _join(f"Creation of {part} from {origin}{using}", approach_phrase(approach))
        part, qual = f"{part} created from {origin}", ""
    head = _surgical_head(operation, part, dev)
    if operation == "Creation" and qual and body.startswith("Perineum"):  # "Creation of Vagina in Male Perineum"
        head, qual = f"Creation of {qual} in {part}", ""
    if operation == "Replacement" and "Flap" in qual:  # the flap is the substitute: "... using ... Flap"
        return _join(f"{head} using {qual}", approach_phrase(approach))
    if operation == "Replacement" and qual.startswith("Toe, ") and dev:  # "with Right Toe, Autologous ..."
        return _join(f"{head} with {body_phrase(qual)}, {dev}", approach_phrase(approach))
    if qual == "Rapid Deployment Technique" and dev:
        return _join(f"{head} with {dev}, using {qual}", approach_phrase(approach))
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
    elif operation == "Dilation" and qual and qual != "Sustained Release":
        if "Balloon" in qual:  # "... with Intraluminal Device, using Drug-Coated Balloon"
            head, qual = (f"{head}{with_device}, using {qual}" if with_device else f"{head} using {qual}"), ""
            with_device = ""
        else:
            head, qual = f"{head}, {qual}", ""
            with_device = f", with {dev}" if with_device else ""
    elif qual in _USING:
        head, qual = f"{head} using {qual}", ""
    return _join(head + with_device, qual, approach_phrase(approach), last)


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
        return _join(f"{op} of {measured}", "" if op == "Measurement" else route, group)
    if op == "Assistance" and dev:  # "Circulatory Filtration, Blood Pathogens"
        return _join(dev if part in dev else f"{part} {dev}", approach_phrase(approach), group)
    if op == "Inspection" and dev:  # the scope or technique says how: no approach
        return _join(f"Inspection of {part} using {dev}", group)
    if system == "Extracorporeal" and op == "Introduction":
        target = "" if part == "Extracorporeal" else f" to {part}"
        return _join(f"Extracorporeal Introduction of {dev}{target}", route, group)
    technology = not any(word in dev for word in ("Device", "Substitute", "Intraluminal", "Valve"))
    if op in ("Introduction", "Transfusion") and dev:
        head, _, rest = dev.partition(", ")
        if rest in _X_SUBSTANCE_MODIFIERS:
            dev = f"{rest} {head}"
        elif head == "Plasma" and rest.startswith("Convalescent"):
            dev = f"Convalescent Plasma{rest.removeprefix('Convalescent')}"
        if op == "Transfusion":
            return _join(f"Transfusion of {dev} into {part}", approach_phrase(approach), group)
    if dev and part and (op in _X_USING or (op == "Reposition" and technology) or (op == "Replacement" and technology)):
        verb = f"{op} of" if op == "Reposition" else _surgical_head(op, part, "").removesuffix(f" {part}")
        return _join(f"{verb} {part} using {_x_device(dev)}", approach_phrase(approach), group)
    return surgical_title(op, body, approach, _x_device(dev) if dev else device, qualifier)


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
        return title
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
        return _join(f"{op} of {part}" + (f" using {p6}" if p6 else ""), p7)
    if section == "3":
        return _administration(op, part, p5, p6, p7)
    if section == "4":
        if p7 == "Intracranial" and part == "Central Nervous":  # "Monitoring of Intracranial Pressure"
            return _join(f"{op} of {p7} {p6}", approach_phrase(p5))
        if p7 in ("Indocyanine Green Dye", "Wireless Sensor"):
            return _join(f"{op} of {_spaced(part, p6)} using {p7}", approach_phrase(p5))
        return _join(f"{op} of {_spaced(part, p6)}", p7, approach_phrase(p5))
    if section == "5":
        return _assistance(op, part, p5, p6, p7)
    if section == "6":
        if p6 == "Donor Organ":  # "Perfusion of Circulatory Donor Organ, Single"
            return _join(f"{op} of {part} {p6}", p5)
        if p6:
            return _join(f"{op} of {part} using {p6}", p5, p7)
        if p7:  # "Pheresis of Cord Blood Stem Cells, Single"
            return _join(f"{op} of {_substance(p7)}", p5)
        if not part or part in _SYSTEM_ADJECTIVES:  # "Phototherapy, Circulatory, Single"
            return _join(op, part, p5)
        return _join(f"{op} of {part}", p5)
    if section in "79" and part in _SPINE_REGIONS:  # "Osteopathic Treatment of Cervical Region"
        part = f"{part} Region"
    if section == "7":
        method = f"{p6} Forces" if p6 in _FORCES else p6
        return f"{section_label} {op} of {part}" + (f" using {method}" if method else "") + _tail(p7)
    if section == "9":
        return _join(f"{section_label} {op} of {part}", p6, p7)
    if section == "8":
        return _other_procedures(labels[1], part, p5, p6 or op, p7)
    if section in "BC":
        plain = "Contrast" in p5 or section == "C" or p5 == "Fluorescing Agent"
        agent = "" if not p5 else p5 if plain else f"{p5} Contrast"
        if not agent and p6:  # no contrast: the qualifier is the means ("using Intravascular Optical Coherence")
            agent, p6 = p6, ""
        if p6 == "Laser" and p7:  # "Laser Intraoperative"
            p6, p7 = f"{p6} {p7}", ""
        return _join(f"{op} of {part}" + (f" using {agent}" if agent else ""), p6, p7)
    if section == "D":  # with an isotope the modality qualifier is a prefix: "Low Dose Rate (LDR) ..."
        if op in ("Stereotactic Radiosurgery", "Other Radiation") and p5:  # the modality names it
            connector = "to" if p5 == "Isotope Administration" else "of"
            return _join(f"{p5} {connector} {part}" + (f" using {p6}" if p6 else ""), p7)
        if p6:
            return _join(f"{_spaced(p5, op)} of {part} using {p6}", p7)
        return _join(f"{op} of {part}" + (f" using {p5}" if p5 else ""), p7)
    if section == "F":
        return _rehabilitation(op, part, p5, p6)
    if section == "H":  # "Individual Counseling for Substance Abuse Treatment, Behavioral"
        qualifier = "" if part.endswith(op) else part  # "Other Family Counseling" adds nothing
        return _join(f"{op} for {section_label}", qualifier, p5, p6, p7)
    if section == "G":
        if part == f"Other {op}":  # "Other Biofeedback" is Biofeedback; ECT and Counseling keep their Other
            return part if op in ("Electroconvulsive Therapy", "Counseling") else op
        if op == "Counseling" and part:  # "Educational Counseling"
            return _spaced(part.removesuffix(" Counseling"), op)
        return _join(op, part, p5, p6, p7)
    return _join(f"{op} of {part}", p5, p6, p7)


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
        return _join(f"{method} of {part} using {qualifier}", route)
    if approach == "External" and method in ("Computer Assisted Procedure", "Robotic Assisted Procedure"):
        route = ""
    if not part:  # "External Confocal Microscopy, Intraoperative Specimen Analysis"
        return _join(_spaced(present(approach), method), qualifier)
    return _join(f"{method} of {part}", route, qualifier)


def _spaced(*words: str) -> str:
    return " ".join(word for word in words if word)


def _tail(text: str) -> str:
    return f", {text}" if text else ""


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
        return _join(f"Transfusion of {_spaced(qualifier.replace(', ', ' '), substance)} into {part}", route)
    if op == "Irrigation":
        if approach == "External" and part:  # CMS names no approach for an external irrigation
            route = ""
        return _join(f"Irrigation of {part or 'Indwelling Device'} using {substance}", route, qualifier)
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
    return _join(f"{op} of {substance} into {part}" if substance else f"{op} into {part}", route, last)


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
        head = _spaced(qualifier, op)
    else:
        head = _spaced(qualifier, op.split()[-1]) if qualifier else op
    if part:
        head += f" of {part}"
    if equipment:
        head += f" using {equipment}" + ("" if equipment in _EQUIPMENT_NOUNS else " Equipment")
    return head


def _assistance(op: str, system: str, duration: str, function: str, qualifier: str) -> str:
    """Section 5: 'Assistance with Cardiac Output using Balloon Pump, Continuous'; ventilation names its
    duration before its mode, circulatory oxygenation and filtration are 'Extracorporeal ...'."""
    if op == "Assistance" and function == "Ventilation":
        return _join(f"Assistance with {system} Ventilation", duration, qualifier)
    if op == "Assistance" and system == "Circulatory" and function in ("Oxygenation", "Filtration"):
        return _join(f"Extracorporeal {_spaced(qualifier, function)}", duration)
    if op == "Assistance" and function == "Cerebral Embolic Filtration":
        return _join(_spaced(duration, function), qualifier)
    if op == "Assistance" and function == "Oxygenation":
        return _join(f"Assistance with {system} {function}", qualifier)
    if op == "Performance" and (system, function) == ("Circulatory", "Oxygenation"):
        return _join("Extracorporeal Oxygenation", qualifier, "" if duration == "Continuous" else duration)
    if op == "Assistance":
        using = f" using {qualifier}" if qualifier else ""
        return _join(f"Assistance with {_spaced(system, function)}{using}", duration)
    if op == "Performance" and (system, function) == ("Respiratory", "Ventilation"):
        return _join("Respiratory Ventilation", duration, qualifier)
    return _join(f"{op} of {_spaced(system, function)}", duration, qualifier)


def short_title(labels: list[str]) -> str:
    """A compact title: the labels of positions 3-7 as printed, placeholders left out."""
    return ", ".join(label for label in labels[2:] if present(label))
