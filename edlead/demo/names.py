"""Invented names for demo people, schools, streets and towns.

First and last names are drawn independently, so a demo person is a combination, not anyone real;
a test checks that no demo person shares a full name with a leader named in the real DESE directory.
Surnames are weighted (earlier ones are commoner) so a search for the first one finds many people.
"""

from __future__ import annotations

import itertools
import random

FIRST_NAMES = (
    "Aaliyah", "Abdi", "Adaeze", "Adriana", "Aisha", "Alejandro", "Amara", "Amir", "Ana", "Andre",
    "Anika", "Arjun", "Beatriz", "Benjamin", "Bianca", "Brendan", "Camila", "Carlos", "Chiara", "Chinedu",
    "Claire", "Colin", "Dalia", "Daniel", "Deepa", "Desmond", "Diego", "Elena", "Elijah", "Emeka",
    "Emily", "Esther", "Fatima", "Felipe", "Fiona", "Gabriel", "Grace", "Hana", "Hector", "Ibrahim",
    "Imani", "Isabel", "Jamal", "Jasmine", "Javier", "Jia", "Joanna", "Jonah", "Julia", "Kai",
    "Kalinda", "Kenji", "Keisha", "Laila", "Leah", "Liam", "Lina", "Lucia", "Malik", "Marcus",
    "Mariana", "Maya", "Mei", "Miguel", "Mira", "Nadia", "Naomi", "Nasser", "Nia", "Noah",
    "Olivia", "Omar", "Paolo", "Priya", "Quentin", "Rafael", "Rania", "Rebecca", "Rosa", "Samir",
    "Sara", "Sean", "Sofia", "Tariq", "Tessa", "Thanh", "Theo", "Valeria", "Victor", "Wen",
    "Xavier", "Yara", "Yusuf", "Zainab", "Zoe", "Owen", "Hannah", "Patrick", "Molly", "Gregory",
    "Diane", "Nora", "Ruth", "Tobias", "Ines", "Kwame", "Lorenzo", "Maeve", "Nikhil", "Oksana",
)  # fmt: skip

# Commonest first: weights fall off with rank, like real surname frequencies.
LAST_NAMES = (
    "Delgado", "Okafor", "Brennan", "Nguyen-Hale", "Castellanos", "Whitcombe", "Adeyemi", "Larkspur",
    "Moreau", "Pellegrino", "Quintero", "Osei", "Farrow", "Lindqvist", "Marchetti", "Haddad",
    "Kowalczyk", "Ferreira-Lopes", "Abernethy", "Vasquez-Orr", "Tremblay", "Iwasaki", "Mbeki-Rowe",
    "Calderwood", "Saldana", "Obuya", "Penhallow", "Drummond", "Esposito-Kane", "Halloran", "Achebe-Morris",
    "Bellweather", "Carrow", "Dunmore", "Estrada-Vale", "Fairbanks-Oduya", "Gallardo", "Hargreave",
    "Ingersoll", "Jablonski", "Kincaid", "Lacombe", "Maldonado-Reyes", "Northcott", "Oyelaran", "Pasternak",
    "Quarles", "Rinaldi", "Santangelo", "Thibodeau-Marsh", "Umberger", "Valcourt", "Winslow-Ade", "Xiong",
    "Yardley", "Zelinski", "Ashcombe", "Birchall", "Cortazar", "Devereaux", "Eberhart", "Fontaine-Bell",
    "Goncalves", "Holmquist", "Ibarra", "Jovanovic", "Kaczmarek", "Lindgren", "Mwangi", "Nakamura-Voss",
    "Ortega-Blaine", "Prendergast", "Ramadhan", "Szymanski", "Tavares", "Ulloa", "Vanterpool", "Wexford",
    "Yilmaz", "Zamora", "Amadi", "Bertrand", "Castellano", "Dabrowski", "Emberley", "Fitzhugh",
    "Grisham-Ola", "Hawthorne-Diaz", "Ilunga", "Jessup", "Kiplagat", "Lowenthal", "Montague", "Ndiaye",
    "Oduya", "Pimentel", "Quist", "Rosenqvist", "Sorensen-Mbah", "Trask", "Uchenna", "Villanueva-Cho",
)  # fmt: skip

COMMON_SURNAME = LAST_NAMES[0]
_LAST_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) ** 0.4 for rank in range(len(LAST_NAMES))))

NICKNAMES = {
    "Benjamin": "Ben", "Rebecca": "Becca", "Gregory": "Greg", "Daniel": "Dan", "Patrick": "Pat",
    "Alejandro": "Alex", "Elizabeth": "Liz", "Jonah": "Jon", "Samir": "Sam", "Valeria": "Val",
}  # fmt: skip

LEADERSHIP_INTERESTS = (
    "Assistant principal",
    "Instructional coaching",
    "Principal (elementary)",
    "Principal (secondary)",
    "Multilingual learner programs",
    "Special education leadership",
    "Curriculum and assessment",
    "Family and community engagement",
    "Data and school improvement",
)

TEACHER_LEADER_TITLES = (
    "Instructional coach",
    "Department head",
    "Grade-level team lead",
    "English learner lead teacher",
    "Special education team chair",
    "Literacy coach",
    "Math coach",
)

DEPARTMENTS = ("Mathematics", "English", "Science", "History and Social Science", "World Languages")

# School-name stems: trees, birds, landmarks and streets of invented towns.
SCHOOL_STEMS = (
    "Maple Street", "Cedar Hill", "Birchwood", "Quarry Road", "Lantern Hill", "Willow Brook", "Harbor View",
    "Orchard Lane", "Foxglove", "Stonebridge", "Meadowlark", "Riverside Park", "Juniper Street",
    "Alder Grove", "Bell Tower", "Kingfisher", "Millpond", "Sycamore Avenue", "Copper Beech", "Heronwood",
    "Larch Street", "Tamarack", "Bluebird Lane", "Granite Ridge", "Canal Street", "Hemlock Knoll",
    "Chestnut Terrace", "Sparrow Hill", "Ironworks", "Mapleton Square", "Elmcroft", "Pinecrest Road",
    "Wrenfield", "Ferncliff", "Linden Court", "Osprey Point", "Thistle Lane", "Mulberry Street",
    "Beacon Rise", "Dogwood Circle", "Kestrel Way", "Summit Avenue", "Lilac Hill", "Aspen Hollow",
    "Clocktower", "Silverleaf", "Cobble Hill", "Red Maple", "Birch Hollow", "Cardinal Way", "Hickory Lane",
    "Laurel Glen", "Quince Street", "Spruce Hill", "Tulip Tree", "Walnut Grove", "Yew Street",
    "Zinnia Park", "Bramble Way", "Cricket Field", "Dovecote", "Eastbrook", "Falcon Ridge", "Gristmill",
    "Hazelwood Terrace", "Indigo Lane", "Jasper Street", "Kettle Pond", "Lighthouse Road", "Moraine",
    "Nettle Hill", "Oxbow", "Pennywhistle", "Quarrystone", "Rookery", "Saltmarsh", "Trillium",
    "Upland Road", "Vireo Lane", "Waterwheel", "Yarrow Field", "Anchor Street", "Blue Heron", "Cinder Path",
    "Drumlin", "Elder Street", "Fiddlehead", "Goldfinch", "Harrow Lane", "Ivy Gate", "Juniper Ridge",
    "Keel Street", "Lamplighter", "Mossbank", "North Meadow", "Orchard Hill", "Pebble Beach Road",
    "Ridgecrest", "Shady Lane", "Tanglewood Road", "Upper Mill",
)  # fmt: skip

STREETS = (
    "Maple Street", "Cedar Avenue", "Quarry Road", "Orchard Lane", "Canal Street", "Summit Avenue",
    "Beacon Street", "Mill Road", "Harbor Drive", "Linden Court", "Chestnut Street", "Granite Way",
    "Foundry Street", "Elm Terrace", "Spring Hill Road", "Lake Avenue", "Pleasant Way", "School Street",
)  # fmt: skip

# Syllables for invented town names at state scale. Combinations that are real Massachusetts towns or
# districts (checked against the DESE directory and district files) are left out.
TOWN_PREFIXES = (
    "Alder", "Amber", "Bram", "Briar", "Cedar", "Clover", "Copper", "Crane", "Elder", "Ember", "Fern",
    "Flint", "Glen", "Hazel", "Heron", "Holly", "Iron", "Juniper", "Kestrel", "Lark", "Linden", "Marsh",
    "Moss", "Quill", "Raven", "Reed", "Sage", "Silver", "Thorn", "Wren", "Willow", "Yarrow",
)  # fmt: skip
TOWN_SUFFIXES = (
    "brook", "bury", "dale", "field", "ford", "gate", "haven", "hurst", "ley", "mere", "mont", "port",
    "ridge", "shire", "stead", "ton", "vale", "well", "wick", "wood",
)  # fmt: skip
REAL_TOWN_COLLISIONS = frozenset({"Marshfield", "Glenbrook", "Glenwood", "Thornton"})


def town_names() -> list[str]:
    """Every invented town name, in a fixed order."""
    names = [p + s for p, s in itertools.product(TOWN_PREFIXES, TOWN_SUFFIXES)]
    return [n for n in names if n not in REAL_TOWN_COLLISIONS]


def pick_first(rng: random.Random) -> str:
    return rng.choice(FIRST_NAMES)


def pick_last(rng: random.Random) -> str:
    return rng.choices(LAST_NAMES, cum_weights=_LAST_WEIGHTS)[0]
