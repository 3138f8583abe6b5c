"""Rasa NLU lookup tables and entity synonyms, generated from the shop's catalog.

The catalog (shopassist/store/seed.py) and the shipping countries (shopassist/store/policy.py)
decide what the lookup tables hold; this module adds the words customers use for them (kind
words such as "hoodie", plurals, country aliases, local city names). Lookups are features only
(RegexFeaturizer with use_lookup_tables); the entities themselves are learnt from annotated
examples. Synonyms normalise a few values (colour spellings, size words, country aliases).

After changing the catalog, the sizes, the colours or the shipping countries, regenerate:

    .venv/bin/python -m shopassist.nlu.lookups           # writes data/nlu/lookups.yml
    .venv/bin/python -m shopassist.nlu.lookups --check   # exit 1 when the file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from shopassist.spellings import fold, without_accents
from shopassist.store.policy import SHIPPING_COUNTRIES, country_spellings
from shopassist.store.seed import CATALOG, CLOTHING_SIZES, COLOURS, PLACES, SHOE_SIZES

COMMAND = ".venv/bin/python -m shopassist.nlu.lookups"
OUTPUT = Path(__file__).resolve().parents[2] / "data" / "nlu" / "lookups.yml"
# Order of the lookup tables in the file.
LOOKUP_NAMES = ("product", "category", "colour", "size", "country", "city")

# The kind of thing each catalog product is, as customers name it (singular, lower case;
# plurals are added by `_plural`). A product missing here falls back to its last word, and
# tests/unit/test_lookups.py fails until it is added.
KINDS: Dict[str, Tuple[str, ...]] = {
    "Wireless Over-Ear Headphones": ("headphones", "wireless headphones", "over-ear headphones"),
    "Noise-Cancelling Headphones": (
        "headphones",
        "noise-cancelling headphones",
        "noise cancelling headphones",
    ),
    "Studio Headphones": ("headphones", "studio headphones"),
    "Kids Headphones": ("headphones", "kids headphones"),
    "Gaming Headset": ("headset", "gaming headset"),
    "True Wireless Earbuds": ("earbud", "wireless earbuds"),
    "Sport Earbuds": ("earbuds", "sport earbuds"),
    "Bluetooth Speaker": ("speaker", "bluetooth speaker"),
    "Smart Speaker": ("speaker", "smart speaker"),
    "Soundbar": ("soundbar",),
    "65W USB-C Charger": ("charger", "usb-c charger"),
    "Wireless Charging Pad": ("charging pad", "wireless charger"),
    "Power Bank 20000mAh": ("power bank",),
    "Car Charger": ("charger", "car charger"),
    "USB-C Cable 2m": ("cable", "usb-c cable", "usb cable"),
    "HDMI 2.1 Cable": ("cable", "hdmi cable"),
    "Lightning Cable 1m": ("cable", "lightning cable"),
    "Smartwatch": ("smartwatch", "smart watch", "watch"),
    "Fitness Tracker": ("fitness tracker",),
    "Mechanical Keyboard": ("keyboard", "mechanical keyboard"),
    "Wireless Mouse": ("mouse", "wireless mouse"),
    "Full HD Webcam": ("webcam",),
    "27-inch Monitor": ("monitor",),
    "Laptop Stand": ("laptop stand",),
    "10-inch Tablet": ("tablet",),
    "E-Reader": ("e-reader", "ereader"),
    "Portable Projector": ("projector", "portable projector"),
    "Electric Kettle": ("kettle", "electric kettle"),
    "Drip Coffee Maker": ("coffee maker", "coffee machine"),
    "Espresso Machine": ("espresso machine", "coffee machine"),
    "High-Speed Blender": ("blender",),
    "Toaster": ("toaster",),
    "Chef's Knife": ("knife", "chef's knife", "kitchen knife"),
    "Non-Stick Frying Pan": ("frying pan", "pan"),
    "Air Fryer": ("air fryer",),
    "Stand Mixer": ("mixer", "stand mixer"),
    "Rice Cooker": ("rice cooker",),
    "Cotton Duvet Cover": ("duvet cover",),
    "Memory Foam Pillow": ("pillow",),
    "Linen Sheet Set": ("sheet set", "sheets", "bed sheets", "bedsheets"),
    "Bath Towel Set": ("towel", "bath towel", "towel set"),
    "Bath Mat": ("bath mat",),
    "LED Desk Lamp": ("lamp", "desk lamp"),
    "Floor Lamp": ("lamp", "floor lamp"),
    "Smart Bulb 4-Pack": ("bulb", "smart bulb", "light bulb"),
    "Scented Candle": ("candle", "scented candle"),
    "Wall Clock": ("clock", "wall clock"),
    "Throw Blanket": ("blanket", "throw blanket"),
    "Organic Cotton T-Shirt": ("t-shirt", "t shirt", "tshirt", "tee"),
    "V-Neck T-Shirt": ("t-shirt", "v-neck t-shirt", "v-neck"),
    "Linen Shirt": ("shirt", "linen shirt"),
    "Wool Socks 3-Pack": ("socks", "wool socks"),
    "Slim Fit Jeans": ("jeans", "slim fit jeans"),
    "Relaxed Fit Jeans": ("jeans", "relaxed fit jeans"),
    "Zip Hoodie": ("hoodie", "zip hoodie"),
    "Pullover Hoodie": ("hoodie", "pullover hoodie", "pullover"),
    "Running Shoes": ("shoes", "running shoes", "trainers"),
    "Leather Sneakers": ("sneakers", "leather sneakers"),
    "Hiking Boots": ("boots", "hiking boots"),
    "Rain Jacket": ("jacket", "rain jacket", "raincoat"),
    "Down Jacket": ("jacket", "down jacket", "puffer jacket"),
    "Boxer Briefs 3-Pack": ("boxer briefs", "boxers", "briefs"),
    "Cotton Briefs 5-Pack": ("briefs", "cotton briefs"),
    "Swim Shorts": ("swim shorts", "shorts"),
    "One-Piece Swimsuit": ("swimsuit", "one-piece swimsuit"),
}
_IRREGULAR_PLURALS = {"knife": "knives", "mouse": "mice"}
_IRREGULAR_SINGULARS = {"accessories": "accessory"}
_PLURAL_ONLY = {"electronics", "jeans"}
# Words customers use for a whole category (synonyms map them to the catalog's name).
CATEGORY_ALIASES = {
    "apparel": ("clothes", "clothing"),
    "home": ("homeware", "household"),
}

# Colours customers ask for besides the catalog's, and other spellings of catalog colours.
OTHER_COLOURS = ("beige", "blue", "brown", "gold", "orange", "pink", "purple", "silver", "yellow")
COLOUR_SPELLINGS = {"grey": ("gray",), "navy": ("navy blue",)}

# Letter sizes in words (and the lower case letters long enough not to be ordinary words).
SIZE_WORDS = {
    "XS": ("extra small", "x-small", "xs"),
    "S": ("small",),
    "M": ("medium",),
    "L": ("large",),
    "XL": ("extra large", "x-large", "xl"),
}


# About the 30 largest cities (or towns) of each shipping country, by population, in their
# English names. A hand-written list: it changes only when SHIPPING_COUNTRIES does.
LARGEST_CITIES = {
    "US": (
        "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia",
        "San Antonio", "San Diego", "Dallas", "San Jose", "Austin", "Jacksonville",
        "Fort Worth", "Columbus", "Charlotte", "Indianapolis", "San Francisco", "Seattle",
        "Denver", "Washington", "Nashville", "Oklahoma City", "El Paso", "Boston", "Portland",
        "Las Vegas", "Detroit", "Memphis", "Louisville", "Baltimore",
    ),
    "CA": (
        "Toronto", "Montreal", "Calgary", "Ottawa", "Edmonton", "Winnipeg", "Mississauga",
        "Vancouver", "Brampton", "Hamilton", "Surrey", "Quebec City", "Halifax", "Laval",
        "London", "Markham", "Vaughan", "Gatineau", "Saskatoon", "Kitchener", "Longueuil",
        "Burnaby", "Windsor", "Regina", "Oakville", "Richmond Hill", "Richmond", "Burlington",
        "Oshawa", "Sherbrooke",
    ),
    "GB": (
        "London", "Birmingham", "Manchester", "Glasgow", "Liverpool", "Leeds", "Sheffield",
        "Edinburgh", "Bristol", "Leicester", "Cardiff", "Coventry", "Bradford", "Belfast",
        "Nottingham", "Hull", "Newcastle", "Stoke-on-Trent", "Southampton", "Derby",
        "Portsmouth", "Brighton", "Plymouth", "Northampton", "Reading", "Wolverhampton",
        "Luton", "Aberdeen", "Bolton", "Norwich",
    ),
    "IE": (
        "Dublin", "Cork", "Limerick", "Galway", "Waterford", "Drogheda", "Swords", "Dundalk",
        "Bray", "Navan", "Kilkenny", "Ennis", "Carlow", "Tralee", "Newbridge", "Portlaoise",
        "Balbriggan", "Naas", "Athlone", "Mullingar", "Celbridge", "Wexford", "Letterkenny",
        "Sligo", "Greystones", "Clonmel", "Malahide", "Carrigaline", "Leixlip", "Tullamore",
    ),
    "DE": (
        "Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Düsseldorf",
        "Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hanover", "Nuremberg", "Duisburg",
        "Bochum", "Wuppertal", "Bielefeld", "Bonn", "Münster", "Mannheim", "Karlsruhe",
        "Augsburg", "Wiesbaden", "Mönchengladbach", "Gelsenkirchen", "Aachen", "Braunschweig",
        "Kiel", "Chemnitz",
    ),
    "FR": (
        "Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg",
        "Bordeaux", "Lille", "Rennes", "Toulon", "Reims", "Saint-Étienne", "Le Havre", "Dijon",
        "Grenoble", "Angers", "Villeurbanne", "Saint-Denis", "Nîmes", "Clermont-Ferrand",
        "Aix-en-Provence", "Le Mans", "Brest", "Tours", "Amiens", "Limoges", "Annecy",
        "Perpignan",
    ),
    "IT": (
        "Rome", "Milan", "Naples", "Turin", "Palermo", "Genoa", "Bologna", "Florence", "Bari",
        "Catania", "Verona", "Venice", "Messina", "Padua", "Trieste", "Parma", "Brescia",
        "Prato", "Taranto", "Modena", "Reggio Calabria", "Reggio Emilia", "Perugia", "Ravenna",
        "Livorno", "Rimini", "Cagliari", "Foggia", "Ferrara", "Salerno",
    ),
    "ES": (
        "Madrid", "Barcelona", "Valencia", "Seville", "Zaragoza", "Málaga", "Murcia", "Palma",
        "Las Palmas", "Bilbao", "Alicante", "Córdoba", "Valladolid", "Vigo", "Gijón",
        "L'Hospitalet de Llobregat", "Vitoria-Gasteiz", "A Coruña", "Elche", "Granada",
        "Terrassa", "Badalona", "Sabadell", "Oviedo", "Cartagena", "Móstoles",
        "Jerez de la Frontera", "Pamplona", "Almería", "Alcalá de Henares",
    ),
    "NL": (
        "Amsterdam", "Rotterdam", "The Hague", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
        "Almere", "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Amersfoort",
        "Zaanstad", "Enschede", "'s-Hertogenbosch", "Zwolle", "Zoetermeer", "Leiden",
        "Maastricht", "Dordrecht", "Ede", "Alkmaar", "Emmen", "Delft", "Venlo", "Deventer",
        "Leeuwarden", "Helmond",
    ),
    "BE": (
        "Antwerp", "Ghent", "Charleroi", "Brussels", "Liège", "Bruges", "Namur", "Leuven",
        "Mons", "Mechelen", "Aalst", "La Louvière", "Hasselt", "Kortrijk", "Sint-Niklaas",
        "Ostend", "Tournai", "Genk", "Seraing", "Roeselare", "Verviers", "Mouscron", "Beveren",
        "Dendermonde", "Beringen", "Turnhout", "Vilvoorde", "Lokeren", "Sint-Truiden",
        "Herstal",
    ),
    "AT": (
        "Vienna", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt", "Villach", "Wels",
        "Sankt Pölten", "Dornbirn", "Wiener Neustadt", "Steyr", "Feldkirch", "Bregenz",
        "Leonding", "Klosterneuburg", "Baden", "Wolfsberg", "Leoben", "Krems", "Traun",
        "Amstetten", "Lustenau", "Kapfenberg", "Mödling", "Hallein", "Kufstein", "Traiskirchen",
        "Schwechat", "Braunau am Inn",
    ),
}  # fmt: skip
# Local or short names of those cities (spellings without accents are added by the code).
CITY_ALIASES = {
    "New York": ("NYC", "New York City"),
    "Montreal": ("Montréal",),
    "Munich": ("München",),
    "Cologne": ("Köln",),
    "Frankfurt": ("Frankfurt am Main",),
    "Hanover": ("Hannover",),
    "Nuremberg": ("Nürnberg",),
    "Rome": ("Roma",),
    "Milan": ("Milano",),
    "Naples": ("Napoli",),
    "Turin": ("Torino",),
    "Genoa": ("Genova",),
    "Florence": ("Firenze",),
    "Venice": ("Venezia",),
    "Padua": ("Padova",),
    "Seville": ("Sevilla",),
    "The Hague": ("Den Haag",),
    "'s-Hertogenbosch": ("Den Bosch",),
    "Brussels": ("Bruxelles", "Brussel"),
    "Antwerp": ("Antwerpen",),
    "Ghent": ("Gent",),
    "Bruges": ("Brugge",),
    "Ostend": ("Oostende",),
    "Vienna": ("Wien",),
    "Sankt Pölten": ("St. Pölten",),
}


def _plural(kind: str) -> Optional[str]:
    """The plural of a kind word ("kettle" -> "kettles"), None when it is already plural."""
    head, _, last = kind.rpartition(" ")
    if last.endswith("s"):
        return None
    if last in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[last]
    elif last.endswith(("sh", "ch", "x")):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def _singular(name: str) -> str:
    """The singular of a category name ("speakers" -> "speaker", "jeans" -> "jeans")."""
    head, _, last = name.rpartition(" ")
    if last in _IRREGULAR_SINGULARS:
        last = _IRREGULAR_SINGULARS[last]
    elif last.endswith("s") and last not in _PLURAL_ONLY:
        last = last[:-1]
    return f"{head} {last}" if head else last


def _kinds(name: str) -> Tuple[str, ...]:
    return KINDS.get(name, (name.split()[-1].lower(),))


def _sorted(entries: Iterable[str]) -> List[str]:
    """De-duplicated (exact spelling), sorted ignoring case and accents, then by spelling."""
    unique = {e.strip() for e in entries if e.strip()}
    return sorted(unique, key=lambda e: (fold(e).casefold(), e.casefold(), e))


def products() -> List[str]:
    entries: List[str] = []
    for _, _, names, brands, *_ in CATALOG:
        for name in names:
            entries.append(name)
            entries.extend(f"{brand} {name}" for brand in brands)
            for kind in _kinds(name):
                entries.append(kind)
                plural = _plural(kind)
                if plural:
                    entries.append(plural)
    return _sorted(entries)


def categories() -> List[str]:
    entries: List[str] = []
    for category, subcategory, *_ in CATALOG:
        for word in (category, subcategory):
            entries.extend([word, _singular(word)])
    for aliases in CATEGORY_ALIASES.values():
        entries.extend(aliases)
    return _sorted(entries)


def colours() -> List[str]:
    entries = list(COLOURS) + list(OTHER_COLOURS)
    for spellings in COLOUR_SPELLINGS.values():
        entries.extend(spellings)
    return _sorted(entries)


def sizes() -> List[str]:
    entries = list(CLOTHING_SIZES) + list(SHOE_SIZES)
    for words in SIZE_WORDS.values():
        entries.extend(words)
    return _sorted(entries)


def countries() -> List[str]:
    return _sorted(spelling for code in SHIPPING_COUNTRIES for spelling in country_spellings(code))


def _city_names() -> List[str]:
    """The seed's cities and the largest cities of the shipping countries (English names)."""
    names = [city for city, _, _ in PLACES]
    for code in SHIPPING_COUNTRIES:
        names.extend(LARGEST_CITIES.get(code, ()))
    return _sorted(names)


def cities() -> List[str]:
    entries = _city_names()
    for aliases in CITY_ALIASES.values():
        entries.extend(aliases)
    entries.extend(variant for entry in list(entries) for variant in without_accents(entry))
    return _sorted(entries)


def lookup_tables() -> Dict[str, List[str]]:
    return {
        "product": products(),
        "category": categories(),
        "colour": colours(),
        "size": sizes(),
        "country": countries(),
        "city": cities(),
    }


def synonyms() -> Dict[str, List[str]]:
    """Normalised value -> the other ways customers write it (matched case-insensitively).

    In the order colour, size, country, category, city; sorted within each.
    """
    groups: Dict[str, Dict[str, List[str]]] = {}

    def add(kind: str, value: str, aliases: Iterable[str]) -> None:
        others = [a for a in aliases if a.casefold() != value.casefold()]
        if others:
            groups.setdefault(kind, {}).setdefault(value, []).extend(others)

    for colour, spellings in COLOUR_SPELLINGS.items():
        add("colour", colour, spellings)
    # "size 42" and "EU 42" as a whole still give the bare size, as "42" does.
    for size in CLOTHING_SIZES:
        add("size", size, [*SIZE_WORDS.get(size, ()), f"size {size}"])
    for size in SHOE_SIZES:
        add("size", size, [f"size {size}", f"EU {size}"])
    for code in SHIPPING_COUNTRIES:
        add("country", code, country_spellings(code))
    for category, aliases in CATEGORY_ALIASES.items():
        add("category", category, aliases)
    for city in _city_names():
        names = [city, *CITY_ALIASES.get(city, ())]
        add("city", city, names + [v for n in names for v in without_accents(n)])
    result: Dict[str, List[str]] = {}
    for kind in ("colour", "size", "country", "category", "city"):
        for value in _sorted(groups.get(kind, {})):
            result[value] = _sorted(groups[kind][value])
    return result


def _block(kind: str, name: str, entries: Sequence[str]) -> List[str]:
    return [f"- {kind}: {name}", "  examples: |", *(f"    - {entry}" for entry in entries)]


def _quoted(name: str) -> str:
    """A synonym name as a double-quoted YAML scalar (never read as a number or boolean)."""
    return json.dumps(name, ensure_ascii=False)


def render() -> str:
    """The text of data/nlu/lookups.yml."""
    lines = [
        "# GENERATED by shopassist/nlu/lookups.py from the catalog (shopassist/store/seed.py)",
        "# and the shipping countries (shopassist/store/policy.py). Do not edit; regenerate with",
        f"#   {COMMAND}",
        'version: "3.1"',
        "",
        "nlu:",
    ]
    for name, entries in lookup_tables().items():
        lines.extend(_block("lookup", name, entries))
    for value, aliases in synonyms().items():
        lines.extend(_block("synonym", _quoted(value), aliases))
    return "\n".join(lines) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    parser.add_argument(
        "--check", action="store_true", help="only check that the file is up to date"
    )
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date.")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
