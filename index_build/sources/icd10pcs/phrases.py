"""Reading ICD-10-PCS axis labels the way CMS's titles print them: body parts, devices, approaches."""

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


def join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def spaced(*words: str) -> str:
    return " ".join(word for word in words if word)


def tail(text: str) -> str:
    return f", {text}" if text else ""
