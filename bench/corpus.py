"""A deterministic corpus of realistic master posts for the adaptation benchmark.

Four invented brands write in German and English: a coffee roaster, an outdoor brand, a
city utility and a software company. Posts run from 40 to 2,000 characters and carry
what real posts carry: links, contact-book mentions (`@[Name]`), inline and closing
hashtags, emoji including ZWJ sequences, skin tones, keycaps and flags. The same seed
always gives the same posts, so benchmark runs compare like with like.

    from bench.corpus import CONTACTS, STYLE, generate_master_posts
    posts = generate_master_posts(10_000, seed=2026)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from townsquare.content.adapt import (
    Contact,
    ContactBook,
    HashtagSet,
    Language,
    MasterPost,
    StyleSettings,
)

MIN_LENGTH = 40
MAX_LENGTH = 2000

CONTACTS = ContactBook(
    (
        Contact(
            "Stadtwerke Auental",
            {
                "bluesky": "@stadtwerke-auental.bsky.social",
                "x": "@SWAuental",
                "mastodon": "@stadtwerke@social.auental.example",
                "instagram": "@stadtwerke.auental",
                "threads": "@stadtwerke.auental",
                "facebook": "@StadtwerkeAuental",
                "linkedin": "urn:li:organization:4711",
            },
        ),
        Contact(
            "Bohnenwerk Rösterei",
            {
                "instagram": "@bohnenwerk",
                "x": "@bohnenwerk",
                "bluesky": "@bohnenwerk.example",
                "threads": "@bohnenwerk",
            },
        ),
        Contact(
            "Gipfelwerk Outdoor",
            {
                "instagram": "@gipfelwerk",
                "x": "@gipfelwerk",
                "tiktok": "@gipfelwerk",
                "youtube": "@GipfelwerkOutdoor",
                "mastodon": "@gipfelwerk@alpen.social",
            },
        ),
        Contact(
            "Nordlicht Software",
            {
                "linkedin": "urn:li:organization:90210",
                "x": "@nordlicht_dev",
                "mastodon": "@nordlicht@fosstodon.example",
                "bluesky": "@nordlicht.dev",
            },
        ),
        Contact("Lena Vogt", {"instagram": "@lena.brueht", "x": "@lenavogt"}),
        Contact(
            "Markthalle Auental", {"instagram": "@markthalle_auental", "facebook": "@Markthalle"}
        ),
        Contact(
            "Alpenverein Sektion Auental",
            {"mastodon": "@dav@alpen.social", "bluesky": "@dav-auental.bsky.social"},
        ),
        Contact("Jonas Ehrlich", {"linkedin": "urn:li:person:ehrlich42", "bluesky": "@jonas.dev"}),
    )
)

STYLE = StyleSettings(
    address="du",
    emoji_policy="few",
    max_emoji=4,
    banned_words=("billig", "Schnäppchen", "cheap", "game changer"),
    hashtag_policy="keep_inline",
    max_hashtags={"linkedin": 4, "x": 2, "instagram": 12},
    hashtag_sets=(
        HashtagSet("Auental", ("Auental", "Sachsen", "Heimat")),
        HashtagSet("Coffee", ("SpecialtyCoffee", "Kaffeeliebe", "Rösterei")),
        HashtagSet("Outdoor", ("Wandern", "Bergliebe", "Outdoor"), networks=("instagram",)),
        HashtagSet("Tech", ("OpenSource", "DevOps", "Python"), networks=("linkedin", "mastodon")),
    ),
    network_styles={
        "linkedin": StyleSettings(address="sie", emoji_policy="few", max_emoji=2),
    },
)

EMOJI = (
    "☕", "🌱", "⚡", "🏔️", "🥾", "🚲", "💡", "🎉", "👩‍💻", "🧑‍🤝‍🧑", "👨‍👩‍👧",
    "🏳️‍🌈", "🇩🇪", "🇬🇧", "🇦🇹", "🇨🇭", "👍🏽", "1️⃣", "❤️", "🙌🏿", "🧗‍♀️",
    "🚵🏻‍♂️", "🔋", "♻️", "🌧️", "☀️", "🧑🏾‍🔧", "🫶", "✨", "📅",
)  # fmt: skip


@dataclass(frozen=True)
class Brand:
    name: str
    site: str
    tags: tuple[str, ...]
    hashtag_sets: tuple[str, ...]
    openers: dict[Language, tuple[str, ...]]
    sentences: dict[Language, tuple[str, ...]]
    closers: dict[Language, tuple[str, ...]]


COFFEE = Brand(
    name="Bohnenwerk Rösterei",
    site="https://bohnenwerk.example",
    tags=("Kaffee", "Espresso", "Filterkaffee", "Rösterei", "Auental", "FairTrade"),
    hashtag_sets=("Coffee", "Auental"),
    openers={
        "de": (
            "Frisch aus dem Röster: unser {origin} ist da!",
            "Neue Ernte, neue Bohnen {emoji}",
            "Kaffeepause? Wir hätten da was.",
            "Heute ist Rösttag in der Werkstatt.",
        ),
        "en": (
            "Fresh off the roaster: our {origin} has landed!",
            "New harvest, new beans {emoji}",
            "Coffee break? We've got you.",
            "It's roasting day at the workshop.",
        ),
    },
    sentences={
        "de": (
            "Der {origin} schmeckt nach {note} und {note2}, perfekt für die Siebträgermaschine.",
            "Wir rösten in kleinen Chargen von {number} Kilo, damit jede Bohne die Hitze bekommt, "
            "die sie braucht.",
            "Am {weekday} ab {hour} Uhr kannst du uns in der @[Markthalle Auental] über die "
            "Schulter schauen.",
            "Unsere Röstmaschine läuft seit diesem Monat mit Ökostrom von @[Stadtwerke Auental] "
            "{emoji}",
            "Die Kooperative in {country} bekommt für jedes Kilo {price} Euro, deutlich über dem "
            "Fairtrade-Mindestpreis.",
            "Mahlgrad zu fein? Dann läuft der Espresso zu langsam und schmeckt bitter.",
            "Wir lieben #Kaffee, der nach Herkunft schmeckt und nicht nach Röstung.",
            "@[Lena Vogt] zeigt dir am {weekday}, wie du Milch für Latte Art richtig aufschäumst.",
            "Im Shop gibt es den {origin} als ganze Bohne oder frisch gemahlen: {url}",
            "Tipp: Lagere deinen Kaffee luftdicht, dunkel und nicht im Kühlschrank.",
            "Unsere Bohnen kommen seit {number} Jahren direkt von denselben Farmen.",
            "Für Filterkaffee empfehlen wir 60 Gramm pro Liter und Wasser mit 94 Grad.",
        ),
        "en": (
            "The {origin} tastes of {note} and {note2}, perfect for your espresso machine.",
            "We roast in small batches of {number} kilos so every bean gets the heat it needs.",
            "Join us on {weekday} from {hour} at @[Markthalle Auental] and watch us roast.",
            "Our roaster now runs on green power from @[Stadtwerke Auental] {emoji}",
            "The co-op in {country} earns {price} euros per kilo, well above the Fairtrade "
            "minimum.",
            "Grind too fine? Your espresso runs slow and tastes bitter.",
            "We love #coffee that tastes of where it grew, not of the roast.",
            "@[Lena Vogt] shows you how to steam milk for latte art on {weekday}.",
            "Get the {origin} as whole beans or freshly ground in our shop: {url}",
            "Tip: keep your coffee airtight, dark and out of the fridge.",
            "Our beans have come straight from the same farms for {number} years.",
            "For filter coffee we suggest 60 grams per litre and water at 94 degrees.",
        ),
    },
    closers={
        "de": (
            "Wir sehen uns an der Theke!",
            "Lass es dir schmecken ☕",
            "Bis bald in der Rösterei.",
        ),
        "en": ("See you at the counter!", "Enjoy ☕", "See you at the roastery soon."),
    },
)

OUTDOOR = Brand(
    name="Gipfelwerk Outdoor",
    site="https://gipfelwerk.example",
    tags=("Wandern", "Outdoor", "Bergsport", "Klettern", "Nachhaltigkeit", "Reparieren"),
    hashtag_sets=("Outdoor",),
    openers={
        "de": (
            "Raus in die Berge {emoji}",
            "Das Wetter wird gut am Wochenende!",
            "Neu im Sortiment: die {product}.",
            "Kaputt? Nicht wegwerfen, reparieren!",
        ),
        "en": (
            "Head for the hills {emoji}",
            "The weekend forecast looks great!",
            "New in store: the {product}.",
            "Broken? Don't bin it, fix it!",
        ),
    },
    sentences={
        "de": (
            "Die {product} wiegt nur {number}0 Gramm und passt in jede Deckeltasche.",
            "Mit der @[Alpenverein Sektion Auental] räumen wir am {weekday} den Wanderweg zum "
            "Hochkamm auf {emoji}",
            "Unser Reparaturservice flickt Jacken, Zelte und Rucksäcke, egal wo du sie "
            "gekauft hast.",
            "Die Membran ist PFC-frei und trotzdem wasserdicht bis {number}.000 Millimeter "
            "Wassersäule.",
            "Bei Regen gilt: Schichten statt einer dicken Jacke, dann schwitzt du weniger.",
            "Die Tour zum Kammweg ist {number} Kilometer lang und auch für Familien geeignet "
            "👨‍👩‍👧",
            "Alle Infos zur Tour und die GPX-Datei findest du hier: {url}",
            "Wir testen jedes Produkt eine ganze Saison lang, bevor es in den Laden kommt.",
            "#Wandern ist für uns mehr als Sport: Es ist Zeit draußen mit Menschen, die man mag.",
            "Am {weekday} um {hour} Uhr startet der Klettertreff für Einsteigerinnen 🧗‍♀️",
            "Gebrauchte Ausrüstung kaufen wir zurück und geben sie geprüft weiter ♻️",
        ),
        "en": (
            "The {product} weighs just {number}0 grams and fits in any lid pocket.",
            "Together with @[Alpenverein Sektion Auental] we're clearing the ridge trail on "
            "{weekday} {emoji}",
            "Our repair service fixes jackets, tents and packs, wherever you bought them.",
            "The membrane is PFC-free and still waterproof to {number},000 millimetres.",
            "In the rain, layer up instead of one heavy jacket and you'll sweat less.",
            "The ridge tour is {number} kilometres long and works for families too 👨‍👩‍👧",
            "All the details and the GPX file are here: {url}",
            "We test every product for a full season before it reaches the shop.",
            "#Hiking is more than sport to us: it's time outside with people you like.",
            "Beginners' climbing meets start on {weekday} at {hour} 🧗‍♀️",
            "We buy back used gear and pass it on, checked and repaired ♻️",
        ),
    },
    closers={
        "de": ("Wir sehen uns draußen!", "Gute Tour 🥾", "Pass auf dich auf da oben."),
        "en": ("See you outside!", "Have a great hike 🥾", "Stay safe up there."),
    },
)

UTILITY = Brand(
    name="Stadtwerke Auental",
    site="https://stadtwerke-auental.example",
    tags=("Energiewende", "Auental", "Ökostrom", "ÖPNV", "Wasser", "Solar"),
    hashtag_sets=("Auental",),
    openers={
        "de": (
            "Wichtige Info für alle in Auental:",
            "Gute Nachrichten für dein Viertel {emoji}",
            "Baustelle? Wir erklären, was passiert.",
            "Strom vom eigenen Dach – so geht's.",
        ),
        "en": (
            "Important news for everyone in Auental:",
            "Good news for your neighbourhood {emoji}",
            "Roadworks? Here's what's happening.",
            "Power from your own roof – here's how.",
        ),
    },
    sentences={
        "de": (
            "Ab {weekday} erneuern wir die Wasserleitung in der {street}, die Arbeiten dauern "
            "etwa {number} Wochen.",
            "Die Buslinie {number} fährt in dieser Zeit eine Umleitung über die {street}.",
            "Seit diesem Jahr kommt {number}0 Prozent unseres Stroms aus Wind und Sonne "
            "in der Region 🔋",
            "Mit dem Förderprogramm bekommst du bis zu {price}0 Euro für dein Balkonkraftwerk.",
            "Fragen zur Rechnung beantwortet unser Kundenservice montags bis freitags von 8 bis "
            "18 Uhr.",
            "Alle Details, Karten und Termine gibt es auf {url}",
            "Die neuen Ladesäulen am {place} sind ab sofort in Betrieb ⚡",
            "Danke an @[Bohnenwerk Rösterei] für den Kaffee beim Tag der offenen Tür!",
            "Das Trinkwasser in Auental wird täglich geprüft und hat beste Qualität.",
            "Wir bitten um Verständnis für die Einschränkungen und danken für deine Geduld.",
            "Am {weekday} ab {hour} Uhr beantworten unsere Energieberater deine Fragen live.",
        ),
        "en": (
            "From {weekday} we're renewing the water main on {street}; the work takes about "
            "{number} weeks.",
            "During that time bus line {number} is diverted via {street}.",
            "Since this year {number}0 percent of our power comes from local wind and sun 🔋",
            "The grant scheme pays up to {price}0 euros towards your balcony solar panel.",
            "Our service team answers billing questions Monday to Friday, 8am to 6pm.",
            "All details, maps and dates are at {url}",
            "The new charging points at {place} are now open ⚡",
            "Thanks to @[Bohnenwerk Rösterei] for the coffee at our open day!",
            "Tap water in Auental is tested daily and is of excellent quality.",
            "We apologise for the disruption and thank you for your patience.",
            "Our energy advisers answer your questions live on {weekday} from {hour}.",
        ),
    },
    closers={
        "de": ("Deine Stadtwerke Auental", "Fragen? Schreib uns!", "Danke für dein Verständnis."),
        "en": ("Your Stadtwerke Auental", "Questions? Message us!", "Thanks for your patience."),
    },
)

SOFTWARE = Brand(
    name="Nordlicht Software",
    site="https://nordlicht.example",
    tags=("OpenSource", "Python", "DevOps", "Release", "Kompass", "Barrierefreiheit"),
    hashtag_sets=("Tech",),
    openers={
        "de": (
            "Kompass {version} ist da {emoji}",
            "Release-Notes für alle, die es eilig haben:",
            "Wir stellen ein! 👩‍💻",
            "Danke an unsere Community {emoji}",
        ),
        "en": (
            "Kompass {version} is out {emoji}",
            "Release notes for the busy:",
            "We're hiring! 👩‍💻",
            "Thank you, community {emoji}",
        ),
    },
    sentences={
        "de": (
            "Die Boards laden jetzt {number}-mal schneller, auch bei Projekten mit tausenden "
            "Aufgaben.",
            "Neu ist der Export nach CSV und iCal, direkt aus jeder Ansicht.",
            "Die Oberfläche ist jetzt vollständig per Tastatur bedienbar und mit Screenreadern "
            "getestet.",
            "@[Jonas Ehrlich] erklärt im Livestream am {weekday} um {hour} Uhr die neue API.",
            "Wir suchen eine Backend-Entwicklerin oder einen Backend-Entwickler mit "
            "Python-Erfahrung.",
            "Remote oder in unserem Büro in Auental, mit 4-Tage-Woche und Weiterbildungsbudget.",
            "Die komplette Liste aller Änderungen steht im Changelog: {url}",
            "Dank @[Stadtwerke Auental] läuft unser Rechenzentrum mit 100 Prozent Ökostrom.",
            "Über {number}00 Menschen haben diesen Monat einen Fehler gemeldet oder Code "
            "beigetragen.",
            "Self-Hosting bleibt kostenlos, die Cloud-Version gibt es ab {price} Euro im Monat.",
            "#OpenSource heißt für uns: Der Code ist offen, die Roadmap auch.",
        ),
        "en": (
            "Boards now load {number} times faster, even with thousands of tasks.",
            "New: export to CSV and iCal straight from every view.",
            "The interface is now fully keyboard accessible and tested with screen readers.",
            "@[Jonas Ehrlich] walks through the new API live on {weekday} at {hour}.",
            "We're looking for a backend developer with Python experience.",
            "Remote or in our Auental office, with a four-day week and a learning budget.",
            "The full list of changes is in the changelog: {url}",
            "Thanks to @[Stadtwerke Auental] our data centre runs on 100 percent green power.",
            "More than {number}00 people reported a bug or contributed code this month.",
            "Self-hosting stays free; the cloud version starts at {price} euros a month.",
            "#OpenSource means to us: the code is open, and so is the roadmap.",
        ),
    },
    closers={
        "de": ("Viel Spaß beim Ausprobieren!", "Feedback? Immer her damit.", "Euer Nordlicht-Team"),
        "en": ("Enjoy trying it!", "Feedback? Send it our way.", "Your Nordlicht team"),
    },
)

BRANDS = (COFFEE, OUTDOOR, UTILITY, SOFTWARE)

# What every brand's community manager writes too: questions, thanks, events, service.
COMMUNITY_SENTENCES: dict[Language, tuple[str, ...]] = {
    "de": (
        "Was meint ihr: Sollen wir das öfter machen?",
        "Danke für über {number}.000 Follower, ihr seid großartig {emoji}",
        "Schreib uns in die Kommentare, was du dir als Nächstes wünschst.",
        "Unser Team ist am {weekday} von {hour} bis 18 Uhr für dich erreichbar.",
        "Die Plätze sind begrenzt, also melde dich am besten gleich an.",
        "Wir haben eure Fragen gesammelt und beantworten sie diese Woche in einem Beitrag.",
        "Fotos vom letzten Treffen gibt es in unserer Story 📸",
        "Ihr habt gefragt, wir haben zugehört: Ab sofort geht das auch online.",
        "Kleiner Hinweis: Am Feiertag bleibt unser Laden geschlossen.",
        "Teile den Beitrag gern mit allen, die das interessieren könnte.",
    ),
    "en": (
        "What do you think: should we do this more often?",
        "Thanks for more than {number},000 followers, you're amazing {emoji}",
        "Tell us in the comments what you'd like to see next.",
        "Our team is here for you on {weekday} from {hour} until 6pm.",
        "Places are limited, so sign up soon.",
        "We collected your questions and will answer them in a post this week.",
        "Photos from the last meet-up are in our story 📸",
        "You asked, we listened: you can now do this online too.",
        "Heads-up: our shop is closed on the bank holiday.",
        "Feel free to share this with anyone who might be interested.",
    ),
}

_FILLERS: dict[str, tuple[str, ...]] = {
    "origin": (
        "Äthiopien Guji",
        "Kolumbien Huila",
        "Kenia Nyeri",
        "Brasil Cerrado",
        "Peru Cajamarca",
    ),
    "note": ("Jasmin", "Bergamotte", "dunkler Schokolade", "Haselnuss", "roter Johannisbeere"),
    "note2": ("Rohrzucker", "Pfirsich", "Karamell", "Zitrus", "Kakao"),
    "country": ("Äthiopien", "Kolumbien", "Kenia", "Brasilien", "Peru"),
    "weekday": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"),
    "street": ("Lindenstraße", "Auenweg", "Hauptstraße", "Mühlgasse", "Am Schlossteich"),
    "place": ("Marktplatz", "Bahnhof", "Rathaus", "Freibad", "Stadtpark"),
    "product": (
        "Gratwanderer 28",
        "Nebelfänger-Jacke",
        "Hüttenschlafsack Leicht",
        "Kammweg-Stöcke",
    ),
}
_FILLERS_EN: dict[str, tuple[str, ...]] = {
    "origin": (
        "Ethiopia Guji",
        "Colombia Huila",
        "Kenya Nyeri",
        "Brazil Cerrado",
        "Peru Cajamarca",
    ),
    "place": ("the market square", "the station", "the town hall", "the lido", "the city park"),
    "note": ("jasmine", "bergamot", "dark chocolate", "hazelnut", "redcurrant"),
    "note2": ("cane sugar", "peach", "caramel", "citrus", "cocoa"),
    "country": ("Ethiopia", "Colombia", "Kenya", "Brazil", "Peru"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
}


def generate_master_posts(count: int, seed: int = 2026) -> list[MasterPost]:
    """`count` master posts; the same `count` and `seed` always give the same posts."""
    rng = random.Random(seed)
    return [_post(rng) for _ in range(count)]


def _post(rng: random.Random) -> MasterPost:
    brand = rng.choice(BRANDS)
    language: Language = "de" if rng.random() < 0.6 else "en"
    target_length = _target_length(rng)
    link = (
        f"{brand.site}/{rng.choice(('shop', 'blog', 'news', 'termine'))}/{rng.randrange(100, 999)}"
    )
    if rng.random() < 0.3:
        link += "?utm_source=social&utm_campaign=" + rng.choice(("fruehling", "launch", "herbst"))
    fill = _filler(rng, language, link)
    pieces = [_render(rng.choice(brand.openers[language]), fill)]
    pool = list(brand.sentences[language] + COMMUNITY_SENTENCES[language])
    rng.shuffle(pool)
    # Leave room for the closer and hashtags, which real posts end with.
    body_length = max(MIN_LENGTH, target_length - 150) if target_length > 400 else target_length
    while sum(len(piece) for piece in pieces) < body_length:
        if not pool:
            pool = list(brand.sentences[language] + COMMUNITY_SENTENCES[language])
            rng.shuffle(pool)
        sentence = _render(pool.pop(), fill)
        separator = "\n\n" if rng.random() < 0.2 else " "
        pieces.append(separator + sentence)
    if rng.random() < 0.6:
        pieces.append("\n\n" + _render(rng.choice(brand.closers[language]), fill))
    if rng.random() < 0.1:
        pieces.append(
            " Danke auch an @[Café Milchbart]!" if language == "de" else " Hi @[Café Milchbart]!"
        )
    if rng.random() < 0.35:
        pieces.append(
            "\n\n" + " ".join("#" + tag for tag in rng.sample(brand.tags, rng.randint(1, 4)))
        )
    text = _clip("".join(pieces))
    return MasterPost(
        text=text,
        language=language,
        link_url=link if rng.random() < 0.5 else None,
        hashtags=tuple(rng.sample(brand.tags, rng.randint(0, 5))),
        hashtag_sets=tuple(rng.sample(brand.hashtag_sets, rng.randint(0, len(brand.hashtag_sets)))),
    )


def _target_length(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.4:
        return rng.randint(MIN_LENGTH, 280)
    if band < 0.75:
        return rng.randint(281, 1000)
    return rng.randint(1001, MAX_LENGTH)


def _filler(rng: random.Random, language: Language, link: str) -> dict[str, str]:
    fill = {key: rng.choice(values) for key, values in _FILLERS.items()}
    if language == "en":
        fill.update({key: rng.choice(values) for key, values in _FILLERS_EN.items()})
    fill["emoji"] = "".join(rng.sample(EMOJI, rng.choice((1, 1, 1, 2, 3))))
    fill["number"] = str(rng.randint(2, 12))
    fill["price"] = str(rng.randint(3, 9))
    fill["hour"] = f"{rng.randint(9, 19)}" if language == "de" else f"{rng.randint(9, 11)}am"
    fill["version"] = f"{rng.randint(2, 5)}.{rng.randint(0, 12)}"
    fill["url"] = link
    return fill


def _render(template: str, fill: dict[str, str]) -> str:
    return template.format(**fill)


def _clip(text: str) -> str:
    """Keep posts within 2,000 characters, cutting at a space so links stay whole."""
    if len(text) <= MAX_LENGTH:
        return text
    cut = text.rfind(" ", MIN_LENGTH, MAX_LENGTH)
    return text[: cut if cut > 0 else MAX_LENGTH].rstrip()
