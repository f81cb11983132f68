"""What the writing rules and checks need to know about each shipped language.

One :class:`Language` per language dripmail ships (en, de, fr, es, it, nl, pt, sv, pl, ar, he):
the words a cut must not end on, generic headings, vague link texts, wordy phrases with their
plainer forms, common acronyms, relative-time wording, quotation marks, whether the script has
capitals, and which published reading-ease formula scores it. :func:`language` finds the entry
for any BCP 47 tag ("de-AT" -> German); a language not listed gets None, and the rules that need
its words say so instead of guessing.

Sources, per field (each list is the common core, not a dictionary):

- quotes: CLDR 41, `common/main/<lang>.xml` `<delimiters>` (missing values inherit from
  `root.xml`: “ ” ‘ ’); regional tables where CLDR tailors them (fr-CH, pt-PT). Babel does not
  carry CLDR's delimiters, so they are copied here. French puts a narrow no-break space inside
  guillemets (Lexique des règles typographiques en usage à l'Imprimerie nationale, 2002).
- direction and script case: CLDR `characterOrder` (also :func:`direction` via Babel, for any
  language); Arabic and Hebrew scripts have no letter case (Unicode chapters 9.1 and 9.2).
- function words: the closed-class words (articles, prepositions, conjunctions, possessive
  determiners, short auxiliaries) of each language's grammar; English is the set the planning
  stage used before this module.
- generic headings, vague link texts: WCAG 2.2 SC 2.4.4 and failure F84 ("click here",
  "more"), in each language's usual wording.
- wordy phrases: the plain-language guides of each language: plainlanguage.gov "Use simple words
  and phrases" (en); Bundesverwaltungsamt, "Bürgernahe Verwaltungssprache" (de); COSLA,
  "Lexique des termes administratifs" (fr); "Manual de estilo del lenguaje administrativo" and
  Fundéu (es); "Guida alla redazione degli atti amministrativi", ITTIG-CNR 2011 (it); "Direct
  Duidelijk" / Stichting Klare Taal (nl); "Linguagem Simples" guides (pt); Språkrådet,
  "Myndigheternas skrivregler" (sv); "Jak pisać prostym językiem", Pracownia Prostej
  Polszczyzny, Uniwersytet Wrocławski (pl); Arabic and Hebrew style guides' lists of
  bureaucratic padding (a short list: their rules attach prepositions to the next word, so only
  free-standing phrases are listed).
- relative time: emailbasedcourse.beehiiv.com ("don't use words like yesterday, today or
  tomorrow"), each language's words for yesterday, tomorrow, tonight and "today's email".
- reading-ease formula: see dripmail/checks/readability.py, which holds each formula with its
  published constants and citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Quotes:
    """Quotation marks: primary and secondary (nested) open/close, and the space French puts
    inside them ("" for none)."""

    open: str
    close: str
    inner_open: str
    inner_close: str
    space: str = ""


@dataclass(frozen=True, slots=True)
class Language:
    """The data of one shipped language (see the module docstring for sources)."""

    code: str  # ISO 639-1
    name: str  # English name, for messages
    quotes: Quotes
    function_words: frozenset[str]  # lower case; a cut must not end on one
    generic_headings: frozenset[str]  # lower case, no final punctuation
    vague_links: frozenset[str]  # lower case link texts that do not say where they go
    wordy: tuple[tuple[str, str], ...]  # (phrase, plainer), lower case, straight apostrophes
    acronyms: frozenset[str]  # upper case words that are not shouting
    relative_time: str  # a regular expression (with its own flags) for time-relative wording
    abbreviations: tuple[str, ...] = ()  # dotted abbreviations that do not end a sentence
    reading_ease: str | None = None  # formula id in dripmail.checks.readability.FORMULAS
    has_case: bool = True  # the script has capital letters
    rtl: bool = False

    @property
    def direction(self) -> str:
        """"rtl" or "ltr"."""
        return "rtl" if self.rtl else "ltr"


def _set(words: str) -> frozenset[str]:
    """A frozenset from a "|"-separated list (entries may hold spaces)."""
    return frozenset(w.strip() for w in words.split("|") if w.strip())


# (no acronym that is also a short word in capitals: IT, US, AM, ONE)
_ACRONYMS_ANY = "OK|FAQ|PDF|URL|HTML|SMS|GPS|TV|DJ|PC|USB|WLAN|WIFI|CEO|PS|AI|KI|HR|DNA|VIP"

EN = Language(
    "en", "English", Quotes("“", "”", "‘", "’"),
    _set("a|an|the|of|to|for|and|or|but|in|on|at|with|from|by|is|isn’t|isn't|your|my|our"
         "|their|only"),
    _set("introduction|conclusion|summary|overview|background|final thoughts|in conclusion"
         "|key takeaways|takeaways|wrap-up|next steps|closing thoughts"),
    _set("click here|here|read more|learn more|more|click|this link|link|this|find out more"
         "|more info|go|continue"),
    (("in order to", "to"), ("due to the fact that", "because"),
     ("at this point in time", "now"), ("at the present time", "now"),
     ("in the event that", "if"), ("for the purpose of", "to"), ("with regard to", "about"),
     ("in spite of the fact that", "although"), ("prior to", "before"),
     ("a large number of", "many"), ("in the near future", "soon"),
     ("has the ability to", "can")),
    _set(_ACRONYMS_ANY + "|USA|UK|EU|UN|NASA|NHS|BBC|ADHD|PTSD|OCD|CBT|DBT|EMDR|ASD"
         "|LGBTQ|RSVP|ASAP|FYI|DIY|TBD"),
    r"(?i)\b(?=[yt])(?:yesterday|tomorrow|tonight|today['’]s\s+"
    r"(?:email|lesson|message|issue|letter|post|mail))\b",
    ("Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "vs.", "etc.", "e.g.", "i.e.",
     "approx.", "No.", "Fig."),
    reading_ease="flesch",
)

DE = Language(
    "de", "German", Quotes("„", "“", "‚", "‘"),
    _set("der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|und|oder|aber|doch|denn"
         "|sondern|dass|wenn|weil|als|wie|ob|zu|zum|zur|von|vom|mit|für|auf|an|am|in|im|aus"
         "|bei|beim|nach|über|unter|vor|um|durch|gegen|ohne|bis|ist|sind|war|hat|wird|kein"
         "|keine|nicht|nur|mein|meine|dein|deine|sein|seine|ihr|ihre|unser|unsere|euer|eure"),
    _set("einleitung|einführung|fazit|zusammenfassung|schluss|schlussfolgerung|überblick"
         "|hintergrund|ausblick|abschließende gedanken|schlussgedanken|nächste schritte"),
    _set("hier klicken|klicken sie hier|klick hier|hier|mehr|mehr lesen|weiterlesen|mehr erfahren"
         "|mehr infos|dieser link|link|klicken|weiter"),
    (("zum gegenwärtigen zeitpunkt", "jetzt"), ("aufgrund der tatsache, dass", "weil"),
     ("in bezug auf", "zu, über"), ("zum zwecke", "für, zum"), ("im rahmen von", "bei, in"),
     ("zur anwendung bringen", "anwenden"), ("in erwägung ziehen", "erwägen"),
     ("unter berücksichtigung", "mit"), ("eine entscheidung treffen", "entscheiden"),
     ("in kenntnis setzen", "informieren")),
    _set(_ACRONYMS_ANY + "|EU|USA|UN|UNO|NATO|BRD|DDR|ARD|ZDF|TÜV|ADHS|ADS|PTBS|KVT|DBT|EMDR"
         "|ACT|AG|DIN|EDV|LKW|PKW"),
    r"\b(?:(?i:vorgestern|gestern|übermorgen|heute abend|heute nacht"
    r"|heutigen? (?:e-mail|mail|lektion|nachricht|folge|ausgabe|brief))"
    r"|(?<!heute )(?<!Heute )morgen)\b",
    ("z. B.", "z.B.", "d. h.", "d.h.", "u. a.", "u.a.", "usw.", "bzw.", "ca.", "evtl.", "ggf.",
     "Dr.", "Prof.", "Nr.", "vgl.", "etc.", "inkl.", "S.", "Hr.", "Fr.", "bspw.", "z. T."),
    reading_ease="amstad",
)

FR = Language(
    "fr", "French", Quotes("«", "»", "«", "»", space="\u202f"),
    _set("le|la|les|l'|l’|un|une|des|du|de|d'|d’|et|ou|mais|donc|or|ni|car|que|qu'|qu’|qui"
         "|à|au|aux|en|dans|sur|sous|par|pour|avec|sans|chez|vers|entre|est|sont|a|ont|ne"
         "|pas|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs|ce|cet|cette"),
    _set("introduction|conclusion|résumé|en résumé|aperçu|contexte|pour conclure|synthèse"
         "|en bref|prochaines étapes|pour finir"),
    _set("cliquez ici|clique ici|cliquer ici|ici|en savoir plus|lire la suite|lire plus|plus"
         "|ce lien|lien|cliquez|suite|voir plus"),
    (("afin de", "pour"), ("en raison du fait que", "parce que"),
     ("à l'heure actuelle", "maintenant"),
     ("dans le cadre de", "dans, pour"), ("en ce qui concerne", "pour, sur"),
     ("dans l'éventualité où", "si"),
     ("au niveau de", "pour, dans"), ("être en mesure de", "pouvoir"),
     ("compte tenu du fait que", "comme")),
    _set(_ACRONYMS_ANY + "|UE|ONU|OTAN|USA|SNCF|RATP|TDAH|TSPT|TOC|TCC|EMDR|PME|TVA|RER|SAMU"),
    r"(?i)\b(?:avant-hier|hier|après-demain|demain|ce soir|cette nuit"
    r"|(?:l['’]|le |la |du |de la )?(?:e-mail|email|mail|courriel|leçon|message|lettre)"
    r" d['’]aujourd['’]hui)\b",
    ("M.", "Mme.", "Mlle.", "Dr.", "etc.", "p. ex.", "cf.", "env.", "av.", "apr."),
    reading_ease="kandel-moles",
)

ES = Language(
    "es", "Spanish", Quotes("«", "»", "“", "”"),
    _set("el|la|los|las|lo|un|una|unos|unas|y|e|o|u|pero|sino|que|de|del|a|al|en|con|por"
         "|para|sin|sobre|entre|hasta|desde|hacia|es|son|está|ha|no|mi|mis|tu|tus|su|sus"
         "|nuestro|nuestra|vuestro|vuestra|se|si"),
    _set("introducción|conclusión|conclusiones|resumen|antecedentes|contexto|para terminar"
         "|reflexiones finales|en resumen|próximos pasos|panorama general"),
    _set("haz clic aquí|haga clic aquí|clic aquí|pulsa aquí|pincha aquí|aquí|leer más|más"
         "|más información|este enlace|enlace|haz clic|ver más|seguir leyendo"),
    (("a fin de", "para"), ("debido al hecho de que", "porque"),
     ("en el momento actual", "ahora"), ("con respecto a", "sobre"),
     ("en el caso de que", "si"), ("llevar a cabo", "hacer"), ("a nivel de", "en"),
     ("en relación con", "sobre"), ("con el objeto de", "para"),
     ("tomar una decisión", "decidir")),
    _set(_ACRONYMS_ANY + "|UE|ONU|OTAN|EEUU|EE|UU|TDAH|TEPT|TOC|TCC|EMDR|IVA|DNI|ONG"),
    r"(?i)\b(?:anteayer|ayer|pasado mañana|esta noche"
    r"|(?<!la )(?<!las )(?<!esta )(?<!cada )(?<!una )mañana"
    r"|(?:el |la )?(?:correo|email|e-mail|mensaje|lección|boletín|carta) de hoy)\b",
    ("Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "p. ej.", "etc.", "pág.", "aprox.", "Ud.", "Uds."),
    reading_ease="fernandez-huerta",
)

IT = Language(
    "it", "Italian", Quotes("«", "»", "“", "”"),
    _set("il|lo|la|i|gli|le|l'|l’|un|uno|una|un'|un’|e|ed|o|ma|che|di|del|della|dei|delle"
         "|a|al|alla|ai|da|dal|in|nel|nella|con|su|sul|per|tra|fra|è|sono|ha|non|mio|mia|tuo"
         "|tua|suo|sua|nostro|nostra|vostro|vostra|loro"),
    _set("introduzione|conclusione|conclusioni|riepilogo|sintesi|panoramica|premessa|contesto"
         "|in sintesi|prossimi passi|considerazioni finali"),
    _set("clicca qui|cliccate qui|fai clic qui|qui|leggi di più|scopri di più|continua a leggere"
         "|di più|altro|questo link|link|clicca|leggi tutto"),
    (("al fine di", "per"), ("in ordine a", "su"), ("per quanto concerne", "su"),
     ("nel caso in cui", "se"), ("a causa del fatto che", "perché"),
     ("al momento attuale", "ora"), ("porre in essere", "fare"), ("in relazione a", "su"),
     ("prendere una decisione", "decidere")),
    _set(_ACRONYMS_ANY + "|UE|ONU|NATO|USA|ADHD|DSA|PTSD|DOC|TCC|EMDR|IVA|RAI|ASL|SPA|SRL"),
    r"(?i)\b(?:l['’]altro ieri|ieri|dopodomani|domani|stasera|stanotte|questa sera"
    r"|(?:l['’]|la |il )?(?:e-mail|email|mail|lezione|messaggio|lettera|newsletter)"
    r" di oggi)\b",
    ("Sig.", "Sig.ra", "Dott.", "Dr.", "ecc.", "p. es.", "pag.", "ca.", "n."),
    reading_ease="gulpease",
)

NL = Language(
    "nl", "Dutch", Quotes("‘", "’", "“", "”"),
    _set("de|het|een|en|of|maar|want|dus|dat|die|van|in|op|aan|met|voor|naar|bij|uit|om"
         "|over|door|tot|tegen|zonder|is|zijn|was|heeft|wordt|niet|mijn|jouw|je|zijn|haar"
         "|ons|onze|jullie|hun|uw"),
    _set("inleiding|introductie|conclusie|samenvatting|overzicht|achtergrond|tot slot"
         "|slotgedachten|volgende stappen|afsluiting"),
    _set("klik hier|klik|hier|lees meer|meer lezen|meer informatie|meer info|meer|deze link"
         "|link|verder lezen|lees verder"),
    (("met betrekking tot", "over"), ("ten behoeve van", "voor"),
     ("in het kader van", "bij, voor"), ("teneinde", "om"), ("in verband met", "door, over"),
     ("middels", "met"), ("ten aanzien van", "over"),
     ("op grond van het feit dat", "omdat"), ("een beslissing nemen", "beslissen")),
    _set(_ACRONYMS_ANY + "|EU|VN|NAVO|VS|USA|ADHD|PTSS|OCS|CGT|EMDR|BTW|NOS|KNMI|GGZ|BV|NV"),
    r"(?i)\b(?:eergisteren|gisteren|overmorgen|(?<!de )(?<!'s )(?<!’s )morgen(?!s)"
    r"|vanavond|vannacht|(?:de )?(?:e-mail|mail|les|nieuwsbrief|brief) van vandaag)\b",
    ("bijv.", "d.w.z.", "o.a.", "enz.", "dhr.", "mevr.", "dr.", "ca.", "nr.", "m.b.t.", "i.p.v."),
    reading_ease="douma",
)

PT = Language(
    "pt", "Portuguese", Quotes("“", "”", "‘", "’"),
    _set("o|a|os|as|um|uma|uns|umas|e|ou|mas|que|de|do|da|dos|das|em|no|na|nos|nas|com"
         "|por|pelo|pela|para|sem|sobre|entre|até|é|são|está|tem|não|meu|minha|teu|tua|seu"
         "|sua|nosso|nossa|se"),
    _set("introdução|conclusão|conclusões|resumo|visão geral|contexto|considerações finais"
         "|em resumo|próximos passos|para terminar"),
    _set("clique aqui|clica aqui|aqui|leia mais|saiba mais|mais|este link|link|clique"
         "|ver mais|continue lendo|continuar a ler"),
    (("a fim de", "para"), ("devido ao fato de que", "porque"),
     ("devido ao facto de", "porque"), ("no momento atual", "agora"),
     ("com relação a", "sobre"), ("no caso de", "se"), ("levar a cabo", "fazer"),
     ("tomar uma decisão", "decidir"), ("em virtude de", "por"),
     ("no que diz respeito a", "sobre"), ("dar início a", "começar")),
    _set(_ACRONYMS_ANY + "|UE|ONU|OTAN|EUA|TDAH|TEPT|TOC|TCC|EMDR|SUS|INSS|CPF|IVA|ONG"),
    r"(?i)\b(?:anteontem|ontem|depois de amanhã|amanhã|hoje à noite|esta noite"
    r"|(?:o |a )?(?:e-mail|email|mensagem|lição|aula|carta|newsletter) de hoje)\b",
    ("Sr.", "Sra.", "Dr.", "Dra.", "p. ex.", "etc.", "pág.", "aprox.", "V. Exa."),
    reading_ease="martins",
)

SV = Language(
    "sv", "Swedish", Quotes("”", "”", "’", "’"),
    _set("en|ett|den|det|de|och|eller|men|att|som|av|i|på|till|för|med|om|från|hos|vid"
         "|under|över|mot|utan|är|var|har|blir|inte|min|mitt|mina|din|ditt|dina|sin|sitt"
         "|sina|vår|vårt|våra|er|ert|era|hans|hennes|deras"),
    _set("inledning|introduktion|sammanfattning|slutsats|slutsatser|översikt|bakgrund"
         "|avslutning|nästa steg|slutord"),
    _set("klicka här|klicka|här|läs mer|mer|mer information|den här länken|länken|länk"
         "|läs vidare|fortsätt läsa"),
    (("i syfte att", "för att"), ("med anledning av", "på grund av, efter"),
     ("i samband med", "vid, när"), ("i nuläget", "nu"), ("i enlighet med", "enligt"),
     ("till följd av", "på grund av"), ("med avseende på", "om"),
     ("fatta ett beslut", "besluta")),
    _set(_ACRONYMS_ANY + "|EU|FN|NATO|USA|ADHD|PTSD|OCD|KBT|DBT|EMDR|SVT|SR|AB|SJ|SCB|BVC"),
    r"(?i)\b(?:i förrgår|i går|igår|i övermorgon|i morgon|imorgon|i kväll|ikväll|i natt|inatt"
    r"|dagens (?:mejl|mail|e-post|e-brev|lektion|brev|nyhetsbrev))\b",
    ("t.ex.", "t. ex.", "bl.a.", "s.k.", "d.v.s.", "dvs.", "osv.", "ca.", "dr.", "nr.", "m.m."),
    reading_ease="lix",
)

PL = Language(
    "pl", "Polish", Quotes("„", "”", "«", "»"),
    _set("i|a|o|u|w|we|z|ze|na|do|od|po|za|przez|dla|bez|pod|nad|przed|przy|oraz|albo|lub"
         "|ale|lecz|że|czy|jest|są|był|ma|nie|mój|moja|moje|twój|twoja|jego|jej|nasz|nasza"
         "|wasz|wasza|ich|się|to"),
    _set("wstęp|wprowadzenie|podsumowanie|zakończenie|wnioski|przegląd|tło|kontekst"
         "|kolejne kroki|na koniec"),
    _set("kliknij tutaj|kliknij tu|kliknij|tutaj|tu|czytaj więcej|więcej|dowiedz się więcej"
         "|ten link|link|czytaj dalej|zobacz więcej"),
    (("w celu", "aby, żeby"), ("ze względu na fakt, że", "bo"), ("w chwili obecnej", "teraz"),
     ("na chwilę obecną", "teraz"), ("w związku z powyższym", "dlatego"),
     ("w przypadku gdy", "jeśli"), ("w odniesieniu do", "o"), ("dokonać wyboru", "wybrać"),
     ("podjąć decyzję", "zdecydować")),
    _set(_ACRONYMS_ANY + "|UE|ONZ|NATO|USA|ADHD|PTSD|OCD|CBT|EMDR|NFZ|ZUS|VAT|PKP|RP|SA|SP"),
    r"(?i)\b(?:przedwczoraj|wczoraj|pojutrze|jutro|jutrzejsz\w*|dziś wieczorem"
    r"|dzisiaj wieczorem|dziś w nocy|dzisiejsz\w+ (?:e-mail\w*|mail\w*|lekcj\w+|wiadomoś\w+"
    r"|list\w*|newsletter\w*))\b",
    ("np.", "itp.", "itd.", "tzn.", "tj.", "prof.", "ok.", "m.in.", "ul.", "nr", "dr"),
    reading_ease=None,  # Pisarek's formulas (1969) exist; not shipped (see the checks' notes)
)

AR = Language(
    "ar", "Arabic", Quotes("”", "“", "’", "‘"),
    _set("في|من|إلى|على|عن|مع|و|أو|ثم|لكن|أن|إن|التي|الذي|هذا|هذه|ذلك|تلك|هو|هي|لا|لم|لن|قد"
         "|كان|كل|بين|حتى|منذ|عند"),
    _set("مقدمة|المقدمة|خاتمة|الخاتمة|ملخص|الملخص|خلاصة|الخلاصة|نظرة عامة|الخلفية|الخطوات التالية"),
    _set("اضغط هنا|انقر هنا|اضغط|انقر|هنا|اقرأ المزيد|المزيد|هذا الرابط|الرابط|رابط|تابع القراءة"),
    (("في الوقت الحالي", "الآن"), ("في الوقت الحاضر", "الآن"), ("نظرا لأن", "لأن"),
     ("نظرًا لأن", "لأن"), ("بالرغم من حقيقة أن", "مع أن"), ("فيما يتعلق", "عن"),
     ("في حالة ما إذا", "إذا")),
    frozenset(),
    r"(?<!\w)[وف]?(?:أمس|امس|الأمس|بالأمس|البارحة|غدا|غدًا|غداً|بعد غد|الليلة|هذه الليلة"
    r"|رسالة اليوم|درس اليوم|بريد اليوم)(?!\w)",
    reading_ease=None, has_case=False, rtl=True,
)

HE = Language(
    "he", "Hebrew", Quotes("”", "”", "’", "’"),
    _set("של|את|על|עם|אל|מן|או|אבל|גם|כי|אם|זה|זו|זאת|הוא|היא|הם|הן|לא|אין|יש|כל|בין|עד|אחרי"
         "|לפני|כמו|אשר"),
    _set("מבוא|הקדמה|סיכום|לסיכום|מסקנות|סקירה|סקירה כללית|רקע|הצעדים הבאים|דברי סיכום"),
    _set("לחצו כאן|לחץ כאן|לחצי כאן|לחצו|כאן|קראו עוד|קרא עוד|עוד|הקישור הזה|קישור|המשך קריאה"),
    (("על מנת", "כדי"), ("בשל העובדה", "כי"), ("לאור העובדה", "כי"),
     ("בעת הנוכחית", "עכשיו"), ("בנוגע", "על")),
    frozenset(),
    r"(?<!\w)[וש]?(?:אתמול|שלשום|מחרתיים|מחר|הערב|הלילה|המייל של היום|השיעור של היום"
    r"|ההודעה של היום)(?!\w)",
    reading_ease=None, has_case=False, rtl=True,
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in
                                  (EN, DE, FR, ES, IT, NL, PT, SV, PL, AR, HE)}

# CLDR tailors the quotation marks of these regions (see the module docstring).
_REGIONAL_QUOTES = {
    "fr-ch": Quotes("«", "»", "‹", "›"),  # fr_CH.xml; no inner space in Switzerland
    "pt-pt": Quotes("«", "»", "“", "”"),  # pt_PT.xml
}


def primary(tag: str | None) -> str:
    """The primary language subtag of a BCP 47 tag, lower case ("pt-BR" -> "pt")."""
    return (tag or "").strip().replace("_", "-").split("-")[0].lower()


def language(tag: str | None) -> Language | None:
    """The shipped data for a language tag, or None for a language dripmail does not ship."""
    return LANGUAGES.get(primary(tag))


def quotes(tag: str | None) -> Quotes:
    """The quotation marks for a tag: the region's own where CLDR tailors them, the
    language's, else English ones."""
    norm = (tag or "").strip().replace("_", "-").lower()
    for key, marks in _REGIONAL_QUOTES.items():
        if norm == key or norm.startswith(key + "-"):
            return marks
    found = language(tag)
    return found.quotes if found else EN.quotes


@lru_cache(maxsize=64)
def name(tag: str | None) -> str:
    """The English name of a language ("German"), from the shipped data or else Babel (CLDR)."""
    found = language(tag)
    if found:
        return found.name
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(primary(tag) or "und").english_name or str(tag)
    except (ValueError, UnknownLocaleError):
        return str(tag)


@lru_cache(maxsize=64)
def direction(tag: str | None) -> str:
    """"rtl" or "ltr" for any language: the shipped data, else CLDR's characterOrder (Babel)."""
    found = language(tag)
    if found:
        return found.direction
    from babel import Locale, UnknownLocaleError

    try:
        order = Locale.parse(primary(tag) or "und").character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"
