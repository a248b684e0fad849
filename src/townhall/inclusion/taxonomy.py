"""The taxonomy of digital help: the kinds of help the directory sorts services by.

Plain data, loaded by migration 0002 and kept in step by it (ids are stable: a UUID
derived from each term's code, so another council's copy of the taxonomy has the same
ids and feeds can be merged). Basic skills courses are divided by the areas of the
Essential Digital Skills framework (Department for Education, 2018, updated 2019).
"""

import uuid

NAMESPACE = uuid.UUID("5b0c8a4e-2f0e-4c1a-9d55-3f6a1f0e7c21")
TAXONOMY_CODE = "townhall-digital-help"
TAXONOMY = {
    "name_en_gb": "Digital help",
    "name_cy": "Help digidol",
    "description_en_gb": "Kinds of help with getting online: connectivity, devices and skills.",
    "description_cy": "Mathau o help i fynd ar-lein: cysylltedd, dyfeisiau a sgiliau.",
    "version": "1.0",
}

#: (code, parent code, English name, Welsh name, English description, Welsh description)
TERMS = (
    ("free-wifi", "", "Free Wi-Fi", "Wi-Fi am ddim",
     "Free Wi-Fi you can use on your own phone, tablet or laptop.",
     "Wi-Fi am ddim y gallwch ei ddefnyddio ar eich ffôn, llechen neu liniadur eich hun."),
    ("public-computers", "", "Public computers", "Cyfrifiaduron cyhoeddus",
     "Computers you can use for free, with a printer nearby.",
     "Cyfrifiaduron y gallwch eu defnyddio am ddim, gydag argraffydd gerllaw."),
    ("device-loans", "", "Device loans and gifts", "Benthyg a rhoi dyfeisiau",
     "Laptops, tablets and phones lent or given to people who need one.",
     "Gliniaduron, llechi a ffonau sy'n cael eu benthyg neu eu rhoi i bobl sydd eu hangen."),
    ("data-sims", "", "Free data SIMs", "Cardiau SIM data am ddim",
     "SIM cards with free mobile data, from the National Databank and others.",
     "Cardiau SIM gyda data symudol am ddim, gan y Banc Data Cenedlaethol ac eraill."),
    ("skills-courses", "", "Basic digital skills courses", "Cyrsiau sgiliau digidol sylfaenol",
     "Free courses in the Essential Digital Skills, for beginners.",
     "Cyrsiau am ddim yn y Sgiliau Digidol Hanfodol, i ddechreuwyr."),
    ("skills-foundation", "skills-courses", "Foundation skills", "Sgiliau sylfaen",
     "Turning on a device, using a mouse or a touch screen, connecting to Wi-Fi.",
     "Troi dyfais ymlaen, defnyddio llygoden neu sgrin gyffwrdd, cysylltu â Wi-Fi."),
    ("skills-communicating", "skills-courses", "Communicating", "Cyfathrebu",
     "Email, video calls and messages with family, friends and services.",
     "E-bost, galwadau fideo a negeseuon gyda theulu, ffrindiau a gwasanaethau."),
    ("skills-handling-information", "skills-courses", "Handling information and content",
     "Trin gwybodaeth a chynnwys",
     "Searching the web, finding what you can trust, saving and sharing files.",
     "Chwilio'r we, dod o hyd i'r hyn y gallwch ymddiried ynddo, cadw a rhannu ffeiliau."),
    ("skills-transacting", "skills-courses", "Transacting", "Trafodion",
     "Shopping, banking and applying for services online.",
     "Siopa, bancio a gwneud cais am wasanaethau ar-lein."),
    ("skills-safe-legal", "skills-courses", "Being safe and legal online",
     "Bod yn ddiogel ac yn gyfreithlon ar-lein",
     "Passwords, scams, privacy and what is legal to share.",
     "Cyfrineiriau, sgamiau, preifatrwydd a'r hyn sy'n gyfreithlon i'w rannu."),
    ("skills-problem-solving", "skills-courses", "Problem solving", "Datrys problemau",
     "Finding help and answers online, fixing common problems.",
     "Dod o hyd i help ac atebion ar-lein, datrys problemau cyffredin."),
    ("one-to-one", "", "One-to-one help", "Help un-i-un",
     "A digital champion helps you with what you want to do, at your pace.",
     "Mae hyrwyddwr digidol yn eich helpu gyda'r hyn rydych am ei wneud, ar eich cyflymder chi."),
    ("council-services", "", "Help with council services", "Help gyda gwasanaethau'r cyngor",
     "Help applying, reporting and paying online for council services.",
     "Help i wneud cais, rhoi gwybod a thalu ar-lein am wasanaethau'r cyngor."),
    ("assistive-technology", "", "Assistive technology", "Technoleg gynorthwyol",
     "Screen readers, magnifiers, big keyboards and help setting them up.",
     "Darllenwyr sgrin, chwyddwyr, bysellfyrddau mawr a help i'w gosod."),
    ("other-languages", "", "Help in other languages", "Help mewn ieithoedd eraill",
     "Help given in Welsh or in other languages than English.",
     "Help a roddir yn Gymraeg neu mewn ieithoedd eraill heblaw Saesneg."),
)  # fmt: skip


def term_id(code: str) -> uuid.UUID:
    """The stable id of the term with this code."""
    return uuid.uuid5(NAMESPACE, code)


def taxonomy_id() -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, TAXONOMY_CODE)


def load(taxonomy_model, term_model) -> None:
    """Create or bring up to date the taxonomy and its terms (idempotent: run it again and
    nothing changes)."""
    taxonomy, _ = taxonomy_model.objects.update_or_create(id=taxonomy_id(), defaults=TAXONOMY)
    for order, (code, parent, name, name_cy, description, description_cy) in enumerate(TERMS):
        term_model.objects.update_or_create(
            id=term_id(code),
            defaults={
                "taxonomy": taxonomy,
                "code": code,
                "parent_id": term_id(parent) if parent else None,
                "order": order,
                "name_en_gb": name,
                "name_cy": name_cy,
                "description_en_gb": description,
                "description_cy": description_cy,
            },
        )
