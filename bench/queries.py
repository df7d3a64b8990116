"""The benchmark's queries, by kind: codes typed every way, prefixes, words, phrases, typos, as-you-type."""

from __future__ import annotations

CODES = [
    "E11.9", "I10", "J18.9", "S72.001A", "M54.50", "Z23", "F32.A", "T39.011A", "R10.9", "I21.9", "N39.0",
    "J44.1", "I50.9", "K21.9", "E78.5", "C50.911", "O80", "Z00.00", "S06.0X0A", "F41.1", "G43.909",
    "0DTJ4ZZ", "02703ZZ", "0SRC0J9", "10D00Z1", "5A1955Z", "3E0234Z", "0FT44ZZ", "027034Z", "0W9G3ZZ",
    "J9035", "E0601", "G0008", "A4253", "K0001", "Q5107", "J1745", "E1390", "A0428", "L3000",
    "LT", "RT", "GA", "JW", "JZ", "XU", "KX", "TC",
]


def code_forms(code: str) -> list[str]:
    """How coders type a code: as printed, without the dot, lower case, with a space for the dot."""
    forms = [code, code.replace(".", ""), code.lower().replace(".", "")]
    if "." in code:
        forms.append(code.replace(".", " "))
    return list(dict.fromkeys(forms))


PREFIXES = [
    "E11", "S72.0", "0DT", "J90", "S06", "I21", "M54", "Z00", "T39", "0DB", "02H", "3E0", "G00", "E06",
    "A42", "K00", "J1", "L3", "S", "T", "0", "E", "J", "H", "0D", "02", "C7A", "Z3A", "M1A", "O", "P", "S72",
    "E11.6", "I50", "F32", "0SR", "A0",
]

WORDS = [
    "left", "right", "encounter", "fracture", "diabetes", "pneumonia", "injection", "hypertension", "asthma",
    "wheelchair", "appendectomy", "heart", "knee", "sepsis", "anemia", "obesity", "migraine", "cellulitis",
    "dialysis", "catheter", "oxygen", "bevacizumab", "pembrolizumab", "resection", "excision", "replacement",
    "bypass", "drainage", "laceration", "contusion", "poisoning", "burn", "pregnancy", "newborn", "screening",
    "vaccine", "glaucoma", "cataract", "dementia", "depression", "unspecified", "acute", "chronic",
]

PHRASES = [
    "heart attack", "type 2 diabetes", "broken hip", "high blood pressure",
    "fracture of right femur initial encounter", "acute kidney failure", "chronic obstructive pulmonary disease",
    "urinary tract infection", "left knee replacement", "laparoscopic appendectomy", "resection of appendix",
    "insertion of pacemaker", "power wheelchair", "blood glucose test strips", "injection bevacizumab",
    "left side", "sugar diabetes", "congestive heart failure", "low back pain", "major depressive disorder",
    "pressure ulcer of sacral region", "motor vehicle accident", "fall from stairs", "poisoning by aspirin",
    "abdominal pain right lower quadrant", "acute respiratory failure with hypoxia", "sepsis due to e coli",
    "hip fracture", "chest pain", "shortness of breath", "type 1 diabetes with ketoacidosis",
    "total knee arthroplasty", "coronary artery bypass", "cesarean section", "colonoscopy with biopsy",
    "hospital bed", "oxygen concentrator", "ankle sprain", "urinary incontinence", "kidney stone",
]

TYPOS = [
    "pnuemonia", "diabetis", "hypertention", "diabetis type 2", "arthritus", "asthama", "schizophrena",
    "hemorrage", "siezure", "cellulitus", "pnemonia", "fractur of femer", "neumonia", "anemea", "migrane",
    "diarrea", "gastroenteritus", "dementa", "bronchitus", "apendectomy", "colecystectomy", "wheelchiar",
    "oxygn concentrator", "insulim pump", "colonscopy", "laproscopic appendectomy", "pacemacker", "infuenza",
    "osteoporsis", "hypothyrodism",
]


def typing_prefixes(text: str) -> list[str]:
    """What the search sees while text is typed: every prefix, a trailing space after each word."""
    return [text[:n] for n in range(1, len(text) + 1) if text[n - 1] != " " or text[:n].strip()]


def by_kind() -> dict[str, list[str]]:
    typing: list[str] = []
    for text in WORDS + PHRASES:
        typing += [*typing_prefixes(text), text + " "]
    return {
        "code": [form for code in CODES for form in code_forms(code)],
        "prefix": PREFIXES,
        "word": WORDS,
        "phrase": PHRASES,
        "typo": TYPOS,
        "as-you-type": typing,
    }
