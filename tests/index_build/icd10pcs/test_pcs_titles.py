"""The readable-title rule, checked against CMS long titles of real codes (labels as in the tables)."""

from __future__ import annotations

import pytest

from index_build.sources.icd10pcs.titles import (
    approach_phrase,
    body_part_title,
    body_phrase,
    code_title,
    device_phrase,
    short_title,
)

MS = "Medical and Surgical"


@pytest.mark.parametrize(
    ("label", "phrase"),
    [
        ("Kidney, Right", "Right Kidney"),
        ("Esophagus, Lower", "Lower Esophagus"),
        ("Liver, Left Lobe", "Left Lobe Liver"),
        ("Subcutaneous Tissue and Fascia, Chest", "Chest Subcutaneous Tissue and Fascia"),
        ("Hip Joint, Acetabular Surface, Right", "Right Hip Joint, Acetabular Surface"),
        ("Lymphatic, Internal Mammary, Left", "Left Internal Mammary Lymphatic"),
        ("Ribs, 1 to 2", "1 to 2 Ribs"),
        ("Coronary Artery, One Artery", "Coronary Artery, One Artery"),
        ("Stomach, Pylorus", "Stomach, Pylorus"),
        ("Thoracic Aorta, Descending", "Thoracic Aorta, Descending"),
        ("Chest, Abdomen and Pelvis", "Chest, Abdomen and Pelvis"),
        ("Appendix", "Appendix"),
    ],
)
def test_body_phrase(label: str, phrase: str) -> None:
    assert body_phrase(label) == phrase


@pytest.mark.parametrize(
    ("label", "phrase"),
    [
        ("Synthetic Substitute, Metal on Polyethylene", "Metal on Polyethylene Synthetic Substitute"),
        ("Intraluminal Device, Drug-eluting", "Drug-eluting Intraluminal Device"),
        ("Intraluminal Device, Drug-eluting, Four or More", "Four or More Drug-eluting Intraluminal Devices"),
        ("Cardiac Lead, Pacemaker", "Pacemaker Lead"),
        ("Pacemaker, Dual Chamber", "Pacemaker, Dual Chamber"),
        ("No Device", ""),
    ],
)
def test_device_phrase(label: str, phrase: str) -> None:
    assert device_phrase(label) == phrase


def test_approach_phrase() -> None:
    assert approach_phrase("Percutaneous Endoscopic") == "Percutaneous Endoscopic Approach"
    via = "Via Natural or Artificial Opening Endoscopic"
    assert approach_phrase(via) == via


CMS_TITLES = [
    # (section|labels of positions 2-7, CMS long title)
    (
        "0|Gastrointestinal System|Resection|Appendix|Percutaneous Endoscopic|No Device|No Qualifier",
        "Resection of Appendix, Percutaneous Endoscopic Approach",
    ),
    (
        "0|Urinary System|Drainage|Kidney, Right|Open|Drainage Device|No Qualifier",
        "Drainage of Right Kidney with Drainage Device, Open Approach",
    ),
    (
        "0|Heart and Great Vessels|Bypass|Coronary Artery, One Artery|Open|Zooplastic Tissue|Aorta",
        "Bypass Coronary Artery, One Artery from Aorta with Zooplastic Tissue, Open Approach",
    ),
    (
        "0|Respiratory System|Bypass|Trachea|Percutaneous|Tracheostomy Device|Cutaneous",
        "Bypass Trachea to Cutaneous with Tracheostomy Device, Percutaneous Approach",
    ),
    (
        "0|Gastrointestinal System|Excision|Stomach, Pylorus|Via Natural or Artificial Opening Endoscopic|"
        "No Device|Diagnostic",
        "Excision of Stomach, Pylorus, Via Natural or Artificial Opening Endoscopic, Diagnostic",
    ),
    (
        "0|Gastrointestinal System|Insertion|Stomach|Via Natural or Artificial Opening|Feeding Device|No Qualifier",
        "Insertion of Feeding Device into Stomach, Via Natural or Artificial Opening",
    ),
    (
        "0|Urinary System|Change|Kidney|External|Drainage Device|No Qualifier",
        "Change Drainage Device in Kidney, External Approach",
    ),
    (
        "0|Hepatobiliary System and Pancreas|Extirpation|Common Bile Duct|"
        "Via Natural or Artificial Opening Endoscopic|No Device|No Qualifier",
        "Extirpation of Matter from Common Bile Duct, Via Natural or Artificial Opening Endoscopic",
    ),
    (
        "0|Anatomical Regions, General|Control|Gastrointestinal Tract|"
        "Via Natural or Artificial Opening Endoscopic|No Device|No Qualifier",
        "Control Bleeding in Gastrointestinal Tract, Via Natural or Artificial Opening Endoscopic",
    ),
    (
        "0|Lower Joints|Replacement|Hip Joint, Right|Open|Synthetic Substitute, Metal|Cemented",
        "Replacement of Right Hip Joint with Metal Synthetic Substitute, Cemented, Open Approach",
    ),
    (
        "0|Female Reproductive System|Resection|Uterus|Open|No Device|Supracervical",
        "Resection of Uterus, Supracervical, Open Approach",
    ),
    (
        "0|Hepatobiliary System and Pancreas|Transplantation|Liver|Open|No Device|Allogeneic",
        "Transplantation of Liver, Allogeneic, Open Approach",
    ),
    (
        "0|Gastrointestinal System|Release|Small Intestine|Open|No Device|No Qualifier",
        "Release Small Intestine, Open Approach",
    ),
    (
        "0|Heart and Great Vessels|Dilation|Coronary Artery, One Artery|Percutaneous|"
        "Intraluminal Device, Drug-eluting|No Qualifier",
        "Dilation of Coronary Artery, One Artery with Drug-eluting Intraluminal Device, Percutaneous Approach",
    ),
    (
        "0|Heart and Great Vessels|Dilation|Coronary Artery, Four or More Arteries|Percutaneous|"
        "Intraluminal Device|Bifurcation",
        "Dilation of Coronary Artery, Four or More Arteries, Bifurcation, with Intraluminal Device, "
        "Percutaneous Approach",
    ),
    (
        "X|Anatomical Regions|Introduction|Peripheral Vein|Percutaneous|Remdesivir Anti-infective|"
        "New Technology Group 5",
        "Introduction of Remdesivir Anti-infective into Peripheral Vein, Percutaneous Approach, New Technology Group 5",
    ),
    (
        "3|Physiological Systems and Anatomical Regions|Introduction|Central Vein|Percutaneous|"
        "Antineoplastic|Other Antineoplastic",
        "Introduction of Other Antineoplastic into Central Vein, Percutaneous Approach",
    ),
    (
        "3|Circulatory|Transfusion|Peripheral Vein|Percutaneous|Globulin|Nonautologous",
        "Transfusion of Nonautologous Globulin into Peripheral Vein, Percutaneous Approach",
    ),
    (
        "4|Physiological Systems|Measurement|Cardiac|Percutaneous|Sampling and Pressure|Right Heart",
        "Measurement of Cardiac Sampling and Pressure, Right Heart, Percutaneous Approach",
    ),
    (
        "5|Physiological Systems|Assistance|Cardiac|Continuous|Output|Balloon Pump",
        "Assistance with Cardiac Output using Balloon Pump, Continuous",
    ),
    (
        "5|Physiological Systems|Performance|Respiratory|Greater than 96 Consecutive Hours|Ventilation|No Qualifier",
        "Respiratory Ventilation, Greater than 96 Consecutive Hours",
    ),
    (
        "B|Heart|Fluoroscopy|Coronary Arteries, Multiple|Low Osmolar|None|None",
        "Fluoroscopy of Multiple Coronary Arteries using Low Osmolar Contrast",
    ),
    (
        "B|Heart|Ultrasonography|Heart with Aorta|None|None|Transesophageal",
        "Ultrasonography of Heart with Aorta, Transesophageal",
    ),
    (
        "D|Ear, Nose, Mouth and Throat|Brachytherapy|Ear|Low Dose Rate (LDR)|Palladium 103 (Pd-103)|None",
        "Low Dose Rate (LDR) Brachytherapy of Ear using Palladium 103 (Pd-103)",
    ),
    (
        "8|Physiological Systems and Anatomical Regions|Other Procedures|Trunk Region|"
        "Percutaneous Endoscopic|Robotic Assisted Procedure|No Qualifier",
        "Robotic Assisted Procedure of Trunk Region, Percutaneous Endoscopic Approach",
    ),
]
SECTIONS = {
    "0": MS,
    "X": "New Technology",
    "3": "Administration",
    "4": "Measurement and Monitoring",
    "5": "Extracorporeal or Systemic Assistance and Performance",
    "B": "Imaging",
    "D": "Radiation Therapy",
    "8": "Other Procedures",
}


@pytest.mark.parametrize(("labels", "title"), CMS_TITLES)
def test_titles_match_cms_long_titles(labels: str, title: str) -> None:
    section, *rest = labels.split("|")
    assert code_title(section, SECTIONS[section], [SECTIONS[section], *rest]) == title


def test_body_part_titles_and_short_titles() -> None:
    assert body_part_title("0", MS, "Resection", "Appendix") == "Resection of Appendix"
    assert body_part_title("0", MS, "Repair", "Abdominal Wall") == "Repair Abdominal Wall"
    assert body_part_title("0", MS, "Insertion", "Kidney, Right") == "Insertion into Right Kidney"
    assert body_part_title("B", "Imaging", "Fluoroscopy", "Coronary Arteries, Multiple") == (
        "Fluoroscopy of Multiple Coronary Arteries"
    )
    assert body_part_title("G", "Mental Health", "Counseling", "None") == "Counseling"
    labels = [MS, "Urinary System", "Drainage", "Kidney, Right", "Open", "Drainage Device", "No Qualifier"]
    assert short_title(labels) == "Drainage, Kidney, Right, Open, Drainage Device"


def test_new_technology_tables_without_a_body_part_name_the_technology() -> None:
    labels = [
        "New Technology",
        "Physiological Systems",
        "Measurement",
        "None",
        "External",
        "Infection, Computer-aided Triage and Notification",
        "New Technology Group 11",
    ]
    # as the FY2026 order file prints XXEZXCB: a physiological measurement names no approach
    assert code_title("X", "New Technology", labels) == (
        "Measurement of Infection, Computer-aided Triage and Notification, New Technology Group 11"
    )


# Issue 15: the patterns the title builder got wrong against the FY2026 order file (bench/pcs_title_diff.py)
ORDER_FILE_TITLES = [
    (
        "F|Rehabilitation|Motor and/or Nerve Function Assessment|Neurological System - Head and Neck|Muscle Performance|Orthosis|None",  # noqa: E501
        "Muscle Performance Assessment of Neurological System - Head and Neck using Orthosis",
    ),
    (
        "F|Rehabilitation|Speech Assessment|Neurological System - Whole Body|Communicative/Cognitive Integration Skills|Audiovisual|None",  # noqa: E501
        "Communicative/Cognitive Integration Skills Assessment of Neurological System - Whole Body using Audiovisual Equipment",  # noqa: E501
    ),
    (
        "F|Rehabilitation|Caregiver Training|None|Bathing/Showering Technique|Orthosis|None",
        "Caregiver Training in Bathing/Showering Technique using Orthosis",
    ),
    (
        "F|Rehabilitation|Device Fitting|None|Tinnitus Masker|Hearing Aid Selection / Fitting / Test|None",
        "Tinnitus Masker Device Fitting using Hearing Aid Selection / Fitting / Test Equipment",
    ),
    (
        "D|Central and Peripheral Nervous System|Stereotactic Radiosurgery|Brain|Stereotactic Other Photon Radiosurgery|None|None",  # noqa: E501
        "Stereotactic Other Photon Radiosurgery of Brain",
    ),
    (
        "D|Central and Peripheral Nervous System|Other Radiation|Brain|Contact Radiation|None|None",
        "Contact Radiation of Brain",
    ),
    (
        "D|Anatomical Regions|Other Radiation|Whole Body|Isotope Administration|Iodine 131 (I-131)|None",
        "Isotope Administration to Whole Body using Iodine 131 (I-131)",
    ),
    (
        "B|Heart|Plain Radiography|Coronary Artery, Single|High Osmolar|None|None",
        "Plain Radiography of Single Coronary Artery using High Osmolar Contrast",
    ),
    (
        "B|Heart|Computerized Tomography (CT Scan)|Coronary Arteries, Multiple|None|Intravascular Optical Coherence|None",  # noqa: E501
        "Computerized Tomography (CT Scan) of Multiple Coronary Arteries using Intravascular Optical Coherence",
    ),
    (
        "B|Heart|Fluoroscopy|Coronary Artery, Single|High Osmolar|Laser|Intraoperative",
        "Fluoroscopy of Single Coronary Artery using High Osmolar Contrast, Laser Intraoperative",
    ),
    (
        "B|Hepatobiliary System and Pancreas|Plain Radiography|Hepatobiliary System, All|High Osmolar|None|None",
        "Plain Radiography of Hepatobiliary System, All using High Osmolar Contrast",
    ),
    (
        "B|Hepatobiliary System and Pancreas|Other Imaging|Bile Ducts|Fluorescing Agent|Indocyanine Green Dye|Intraoperative",  # noqa: E501
        "Other Imaging of Bile Ducts using Fluorescing Agent, Indocyanine Green Dye, Intraoperative",
    ),
    (
        "B|Anatomical Regions|Plain Radiography|Whole Body, Infant|None|None|None",
        "Plain Radiography of Infant Whole Body",
    ),
    (
        "0|Gastrointestinal System|Resection|Appendix|Percutaneous Endoscopic|No Device|Hand-Assisted",
        "Resection of Appendix, Percutaneous Endoscopic Approach, Hand-Assisted",
    ),
    (
        "0|Heart and Great Vessels|Fragmentation|Pulmonary Trunk|Percutaneous|No Device|Ultrasonic",
        "Fragmentation of Pulmonary Trunk, Percutaneous Approach, Ultrasonic",
    ),
    (
        "0|Gastrointestinal System|Fragmentation|Esophagus|Open|No Device|No Qualifier",
        "Fragmentation in Esophagus, Open Approach",
    ),
    (
        "0|Lower Arteries|Dilation|Abdominal Aorta|Open|Intraluminal Device, Drug-eluting|Drug-Coated Balloon",
        "Dilation of Abdominal Aorta with Drug-eluting Intraluminal Device, using Drug-Coated Balloon, Open Approach",
    ),
    (
        "0|Lower Arteries|Dilation|Femoral Artery, Right|Percutaneous|No Device|Drug-Coated Balloon",
        "Dilation of Right Femoral Artery using Drug-Coated Balloon, Percutaneous Approach",
    ),
    (
        "0|Hepatobiliary System and Pancreas|Destruction|Liver|Open|No Device|Laser Interstitial Thermal Therapy",
        "Destruction of Liver using Laser Interstitial Thermal Therapy, Open Approach",
    ),
    (
        "0|Upper Arteries|Extirpation|Intracranial Artery|Percutaneous|No Device|Stent Retriever",
        "Extirpation of Matter from Intracranial Artery using Stent Retriever, Percutaneous Approach",
    ),
    (
        "0|Urinary System|Resection|Kidney, Right|Open|No Device|Allogeneic",
        "Resection of Right Kidney, Open Approach, Allogeneic",
    ),
    (
        "0|Hepatobiliary System and Pancreas|Transplantation|Liver|Open|No Device|Allogeneic",
        "Transplantation of Liver, Allogeneic, Open Approach",
    ),
]


@pytest.mark.parametrize(("labels", "title"), ORDER_FILE_TITLES)
def test_titles_match_the_order_file(labels: str, title: str) -> None:
    section, *rest = labels.split("|")
    label = SECTIONS.get(section, {"F": "Physical Rehabilitation and Diagnostic Audiology"}.get(section, ""))
    assert code_title(section, label, [label, *rest]) == title
