"""Labels and fixed sentences of the reports, in English and French.

Most readers in Mali work in French. Only text the report composes itself lives here; the
engine's own sentences (bottom lines, rule `because` texts) are English and the French report
marks them as such (`lang="en"` plus a visible note) rather than pretending to translate them.
Measures and postures come from the rule pack (`measures.yaml`), not from here.
`tests/test_report.py` checks that both languages have the same keys and placeholders.
"""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("en", "fr")

# The five-level scale is a public contract (levels 1..5); French labels by level number.
LEVELS_FR = {1: "Négligeable", 2: "Faible", 3: "Moyen", 4: "Élevé", 5: "Extrême"}

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "title": "Travel risk advisory",
        "subtitle": "Two tracks kept apart: personal security and regime collapse",
        "as_of": "Situation as of {date}",
        "generated": "generated {ts}",
        "bluf": "Bottom line",
        "track.personal_security": "Personal security",
        "track.personal_security.q": "Can staff travel? Ambush, kidnapping, blockades, attacks",
        "track.regime_collapse": "Regime collapse",
        "track.regime_collapse.q": "Is the state losing its towns and capital?",
        "ps.headline": "{label} at worst; {places} places and {roads} road segments rated {l4} or"
        " {l5}.",
        "rc.headline": "{label} nationally; {held} population centre(s) held by an armed group,"
        " {raids} raid(s) that ended within {window} days.",
        "engine_text_en": "Engine text (English):",
        "engine_text_note": "",
        "changes": "What changed since the previous advisory",
        "changes.previous": "Previous advisory: situation as of {date}.",
        "changes.none": "No level changed and no guidance was added or withdrawn.",
        "changes.national": "National {track}: {old} → {new}",
        "changes.up": "Raised",
        "changes.down": "Lowered",
        "changes.new_places": "New in this advisory",
        "changes.gone_places": "No longer assessed",
        "changes.guidance_added": "Guidance added",
        "changes.guidance_removed": "Guidance no longer listed",
        "changes.guidance_now_in_force": "Guidance now in force",
        "changes.guidance_lapsed": "Guidance no longer in force",
        "map": "Map: personal-security level by place and road",
        "map.caption": "Places and road segments coloured and shaped by personal-security level"
        " (colour, marker shape and line dash all carry the level). Roads are schematic: straight"
        " lines between the towns they pass. Labels are left out where they would overlap;"
        " every place is in the tables below.",
        "map.legend.places": "Places",
        "map.legend.roads": "Roads",
        "map.legend.capital": "Capital",
        "map.legend.border": "National border",
        "map.legend.district": "District (cercle) boundary",
        "map.inset": "Mali",
        "map.inset.frame": "map area",
        "map.north": "N",
        "tables": "Levels by place and road",
        "tables.places": "Places",
        "tables.roads": "Road segments",
        "col.place": "Place",
        "col.road": "Road segment",
        "col.ambush": "Ambush",
        "col.kidnapping": "Kidnapping",
        "col.ps": "Personal security",
        "col.rc": "Regime collapse",
        "col.confidence": "Confidence",
        "in_days": "in {days} days: {word} ({pct} %)",
        "likelihood": "{hazard} within {days} days: {word} ({pct} %).",
        "confidence": "Confidence: {word} ({basis}).",
        "confidence.basis": "{events} incidents, {sources} sources, latest {latest},"
        " {share} % located at or near a named place",
        "confidence.latest": "{days} days ago",
        "confidence.none": "no incident in range",
        "tables.note": "Likelihood: the modelled chance of at least one incident in {days} days,"
        " in ICD 203 words. Confidence rests on the volume, sources, recency and precision of the"
        " evidence and is stated apart from the level.",
        "trends": "Trends",
        "trends.weekly": "Weekly incidents near {capital}, last {weeks} weeks",
        "trends.weekly.note": "Events counted as each exposure of the rule pack counts them at"
        " {capital}: its signals, its point radius and its location-precision limit. Weeks end on"
        " {date}. Signals:",
        "trends.series": "{name}: within {radius} km",
        "trends.control": "Seizures and ends of seizures, by month",
        "trends.control.note": "All incidents in the input, last {days} days (the control"
        " look-back of the rule pack). Above the line: seizures ({seized}); below: regains or"
        " withdrawals ({ended}); ◆ governance ({governance}).",
        "trends.seized": "seizures",
        "trends.ended": "regains / withdrawals",
        "trends.governance": "governance",
        "trends.max": "max {n}",
        "trends.none": "No capital in the gazetteer: no trend around it.",
        "guidance": "Government guidance",
        "guidance.reading": "How the engine reads it: travel and evacuation guidance is evidence"
        " about personal security (ambushes, kidnappings on the roads and around towns) and raises"
        " that track. It has no bearing on regime collapse unless territorial signals (population"
        " centres seized, held or governed) say so: operating is not controlling.",
        "guidance.none": "No guidance was given to this assessment.",
        "col.issuer": "Issuer",
        "col.level": "Level",
        "col.action": "Action",
        "col.issued": "Issued",
        "col.scope": "Scope",
        "col.reasons": "Reasons",
        "col.in_force": "In force",
        "col.source": "Source",
        "col.summary": "Summary",
        "yes": "yes",
        "no": "no",
        "expires": "expires {date}",
        "scope.country": "whole country ({country})",
        "scope.admin1": "regions: {names}",
        "scope.area": "{km} km around {lat}, {lon}",
        "indicators": "Indicators to watch",
        "indicators.intro": "The tripwires that would raise regime collapse. Raids that end within"
        " the raid window raise personal security, not this track.",
        "col.indicator": "Indicator",
        "col.now": "Now",
        "col.state": "State",
        "state.triggered": "triggered",
        "state.watch": "watch",
        "state.quiet": "not triggered",
        "ind.held": "A population centre held beyond the raid window ({days} days)",
        "ind.held.now": "{n} held",
        "ind.contested": "{names} seized, raid window open",
        "ind.governed": "Governance set up by the group holding a centre (headquarters, courts,"
        " taxes)",
        "ind.governed.now": "{n} centre(s) governed",
        "ind.fighting": "Fighting inside {capital} (within {km} km, last {days} days)",
        "ind.fighting.now": "{n} day(s) with fighting",
        "ind.capital": "{capital} held by an armed group",
        "ind.capital.now.no": "held by the government",
        "ind.capital.now.yes": "held by an armed group",
        "ind.raids": "For reference: raids that ended within {days} days",
        "ind.raids.now": "{n} raid(s)",
        "ind.rule": "rule {rule}: {cond}",
        "ind.rule.scaled": "rule {rule} scores from the first one",
        "measures": "Recommended measures",
        "measures.intro": "Posture and measures for each personal-security level, from the rule"
        " pack (measures.yaml). Apply the measures of the highest level on a route.",
        "measures.phase": "Phase: {phase}",
        "measures.applies": "Applies to {places} place(s) and {roads} road segment(s)",
        "measures.none": "No place or road at this level",
        "evidence": "Evidence",
        "evidence.intro": "For each place or road at {level} or above on either track: the rules"
        " that fired and the incidents behind them, strongest first, with their distance; each"
        " incident's date, type, actor and notes are in the register below. `advisory explain"
        " ID` prints the full trace.",
        "evidence.intro.print": "For each place or road at {level} or above on either track: the"
        " rules that fired and up to {n} of its strongest incidents, with their distance. Every"
        " incident, with its notes, is in the HTML edition and the JSON assessment; `advisory"
        " explain ID` prints the full trace.",
        "evidence.more": "and {n} more incidents: see the HTML edition or the JSON assessment",
        "evidence.more.one": "and {n} more incident: see the HTML edition or the JSON assessment",
        "evidence.rules": "Rules that fired",
        "evidence.incidents": "Incidents behind the drivers",
        "evidence.no_incidents": "No incident behind these drivers.",
        "evidence.register": "Incident register",
        "evidence.register.note": "Every incident cited above, newest first, with its ACLED"
        " fields as given in the input (notes are the source's words, not the engine's).",
        "precision": "geo precision {n}",
        "col.rule": "Rule",
        "col.points": "Points",
        "col.because": "Because",
        "col.date": "Date",
        "col.type": "Type",
        "col.actor": "Actor",
        "col.distance": "Distance",
        "col.notes": "Notes",
        "col.id": "Id",
        "decisive": "decisive",
        "km": "{km} km",
        "places.title": "Advisories by place",
        "places.all": "All places and roads",
        "places.intro": "Each name opens the page of that place or road.",
        "place.control": "Control status: {status}.",
        "place.drivers": "What drove these levels",
        "place.drivers.none": "No rule fired: every level is at its floor.",
        "place.incidents": "Strongest incidents behind the drivers",
        "place.more": "and {n} more incidents: see the full advisory or the JSON assessment",
        "place.more.one": "and {n} more incident: see the full advisory or the JSON assessment",
        "place.guidance": "Government guidance in force here",
        "place.guidance.none": "No government guidance in force covers this place.",
        "place.measures.none": "The rule pack sets no measures for this level.",
        "methodology": "How the assessment works",
        "method.1": "Classify: each incident gets signals (ambush, kidnapping, attack on a"
        " position, territory seized, governance, blockade …) from rules in the rule pack;"
        " ambushes are read from the notes.",
        "method.2": "Exposure: for each place and road, the sum of incident weights, tapered with"
        " distance and halved every half-life; a trend compares recent weeks with the year"
        " before.",
        "method.3": "Control status: a seizure of a population centre that ends within"
        " {raid} days is a raid; one that lasts is held, and held and governed when governance"
        " follows.",
        "method.4": "Guidance in force per place (latest entry of each issuer) raises personal"
        " security only.",
        "method.5": "Scores from the rules map to the five levels. Personal security combines the"
        " ambush and kidnapping hazards; regime collapse weighs held centres by population and"
        " closeness to the capital, and sustained fighting inside it.",
        "method.6": "Likelihood: a steady rate is recovered from the decayed exposure and turned"
        " into the chance of at least one incident in {days} days (a model to be backtested,"
        " not a fact). Confidence comes from the number of incidents, independent sources,"
        " recency and location precision.",
        "sources": "Sources and attribution",
        "sources.illustrative": "The incidents in this advisory are ILLUSTRATIVE: written by the"
        " advisory project in ACLED's format and modelled on public reporting. They are NOT"
        " ACLED data and must not be cited as facts about real events.",
        "sources.mixed": "{n} of {total} incidents are tagged illustrative (written by the"
        " advisory project, not ACLED data).",
        "sources.acled": "Incident data: Armed Conflict Location & Event Data (ACLED),"
        " acleddata.com, used under ACLED's terms of use by the holder of the export.",
        "sources.acled_format": "Incident format: ACLED (Armed Conflict Location & Event Data).",
        "sources.geonames": "Places: GeoNames (geonames.org), CC BY 4.0.",
        "sources.ocha": "District boundaries: OCHA Common Operational Dataset, administrative"
        " boundaries for Mali (COD-AB), credit OCHA; simplified.",
        "sources.ne": "National border: Natural Earth (public domain); simplified.",
        "sources.guidance": "Government guidance, as cited in each entry:",
        "glossary": "Glossary",
        "footer.engine": "Engine {version}",
        "footer.pack": "Rule pack {name} {version}",
        "footer.inputs": "Inputs",
        "footer.levels": "Levels: {scale}",
        "letterhead": "advisory",
        "page": "Page",
        "of": "of",
        "skip": "Skip to the tables",
    },
    "fr": {
        "title": "Avis de risque pour les déplacements",
        "subtitle": "Deux volets distincts : sécurité des personnes et effondrement du régime",
        "as_of": "Situation au {date}",
        "generated": "généré le {ts}",
        "bluf": "L'essentiel",
        "track.personal_security": "Sécurité des personnes",
        "track.personal_security.q": "Le personnel peut-il se déplacer ? Embuscades,"
        " enlèvements, blocus, attaques",
        "track.regime_collapse": "Effondrement du régime",
        "track.regime_collapse.q": "L'État perd-il ses villes et sa capitale ?",
        "ps.headline": "{label} au plus haut ; {places} lieux et {roads} tronçons routiers classés"
        " {l4} ou {l5}.",
        "rc.headline": "{label} au niveau national ; {held} centre(s) de population tenu(s) par un"
        " groupe armé, {raids} raid(s) terminé(s) en moins de {window} jours.",
        "engine_text_en": "Texte du moteur (en anglais) :",
        "engine_text_note": "Les phrases du moteur et les motifs des règles sont en anglais.",
        "changes": "Ce qui a changé depuis l'avis précédent",
        "changes.previous": "Avis précédent : situation au {date}.",
        "changes.none": "Aucun niveau n'a changé et aucune consigne n'a été ajoutée ni retirée.",
        "changes.national": "{track} (national) : {old} → {new}",
        "changes.up": "En hausse",
        "changes.down": "En baisse",
        "changes.new_places": "Nouveaux dans cet avis",
        "changes.gone_places": "Plus évalués",
        "changes.guidance_added": "Consignes ajoutées",
        "changes.guidance_removed": "Consignes retirées de la liste",
        "changes.guidance_now_in_force": "Consignes désormais en vigueur",
        "changes.guidance_lapsed": "Consignes plus en vigueur",
        "map": "Carte : niveau de sécurité des personnes par lieu et par route",
        "map.caption": "Lieux et tronçons routiers colorés et dessinés selon le niveau de sécurité"
        " des personnes (la couleur, la forme du symbole et le tiret du trait portent chacun le"
        " niveau). Les routes sont schématiques : des lignes droites entre les localités"
        " traversées. Les noms qui se chevaucheraient sont omis ; chaque lieu figure dans les"
        " tableaux ci-dessous.",
        "map.legend.places": "Lieux",
        "map.legend.roads": "Routes",
        "map.legend.capital": "Capitale",
        "map.legend.border": "Frontière nationale",
        "map.legend.district": "Limite de cercle",
        "map.inset": "Mali",
        "map.inset.frame": "zone de la carte",
        "map.north": "N",
        "tables": "Niveaux par lieu et par route",
        "tables.places": "Lieux",
        "tables.roads": "Tronçons routiers",
        "col.place": "Lieu",
        "col.road": "Tronçon routier",
        "col.ambush": "Embuscade",
        "col.kidnapping": "Enlèvement",
        "col.ps": "Sécurité des personnes",
        "col.rc": "Effondrement du régime",
        "col.confidence": "Confiance",
        "in_days": "sous {days} jours : {word} ({pct} %)",
        "likelihood": "{hazard} dans les {days} jours : {word} ({pct} %).",
        "confidence": "Confiance : {word} ({basis}).",
        "confidence.basis": "{events} incidents, {sources} sources, le dernier {latest},"
        " {share} % localisés sur ou près d'un lieu nommé",
        "confidence.latest": "il y a {days} jours",
        "confidence.none": "aucun incident à portée",
        "tables.note": "Probabilité : la chance modélisée d'au moins un incident en {days} jours,"
        " en termes de l'ICD 203. La confiance repose sur le volume, les sources, la fraîcheur et"
        " la précision des éléments, et est indiquée séparément du niveau.",
        "trends": "Tendances",
        "trends.weekly": "Incidents par semaine près de {capital}, {weeks} dernières semaines",
        "trends.weekly.note": "Incidents comptés comme chaque exposition du jeu de règles les"
        " compte à {capital} : ses signaux, son rayon autour d'un point et sa limite de précision"
        " de localisation. Les semaines se terminent le {date}. Signaux :",
        "trends.series": "{name} : dans un rayon de {radius} km",
        "trends.control": "Prises de contrôle et leurs fins, par mois",
        "trends.control.note": "Tous les incidents fournis, {days} derniers jours (la période de"
        " contrôle du jeu de règles). Au-dessus de la ligne : prises ({seized}) ; en dessous :"
        " reprises ou retraits ({ended}) ; ◆ administration ({governance}).",
        "trends.seized": "prises",
        "trends.ended": "reprises / retraits",
        "trends.governance": "administration",
        "trends.max": "max. {n}",
        "trends.none": "Pas de capitale dans le répertoire des lieux : pas de tendance autour.",
        "guidance": "Consignes gouvernementales",
        "guidance.reading": "Lecture du moteur : les conseils aux voyageurs et consignes"
        " d'évacuation renseignent sur la sécurité des personnes (embuscades, enlèvements sur les"
        " routes et autour des villes) et relèvent ce volet. Ils n'ont aucune incidence sur"
        " l'effondrement du régime sans signaux territoriaux (centres de population pris, tenus ou"
        " administrés) : opérer n'est pas contrôler.",
        "guidance.none": "Aucune consigne n'a été fournie pour cette évaluation.",
        "col.issuer": "Émetteur",
        "col.level": "Niveau",
        "col.action": "Action",
        "col.issued": "Émise le",
        "col.scope": "Portée",
        "col.reasons": "Motifs",
        "col.in_force": "En vigueur",
        "col.source": "Source",
        "col.summary": "Résumé",
        "yes": "oui",
        "no": "non",
        "expires": "expire le {date}",
        "scope.country": "tout le pays ({country})",
        "scope.admin1": "régions : {names}",
        "scope.area": "{km} km autour de {lat}, {lon}",
        "indicators": "Indicateurs à surveiller",
        "indicators.intro": "Les seuils qui relèveraient le risque d'effondrement du régime. Les"
        " raids terminés dans la fenêtre de raid relèvent la sécurité des personnes, pas ce volet.",
        "col.indicator": "Indicateur",
        "col.now": "Actuellement",
        "col.state": "État",
        "state.triggered": "déclenché",
        "state.watch": "à surveiller",
        "state.quiet": "non déclenché",
        "ind.held": "Un centre de population tenu au-delà de la fenêtre de raid ({days} jours)",
        "ind.held.now": "{n} tenu(s)",
        "ind.contested": "{names} pris, fenêtre de raid ouverte",
        "ind.governed": "Administration mise en place par le groupe qui tient un centre"
        " (quartier général, tribunaux, impôts)",
        "ind.governed.now": "{n} centre(s) administré(s)",
        "ind.fighting": "Combats dans {capital} (à moins de {km} km, {days} derniers jours)",
        "ind.fighting.now": "{n} jour(s) de combats",
        "ind.capital": "{capital} tenue par un groupe armé",
        "ind.capital.now.no": "tenue par l'État",
        "ind.capital.now.yes": "tenue par un groupe armé",
        "ind.raids": "Pour mémoire : raids terminés en moins de {days} jours",
        "ind.raids.now": "{n} raid(s)",
        "ind.rule": "règle {rule} : {cond}",
        "ind.rule.scaled": "la règle {rule} compte dès le premier",
        "measures": "Mesures recommandées",
        "measures.intro": "Posture et mesures pour chaque niveau de sécurité des personnes, tirées"
        " du jeu de règles (measures.yaml). Appliquer les mesures du niveau le plus élevé d'un"
        " itinéraire.",
        "measures.phase": "Phase : {phase}",
        "measures.applies": "S'applique à {places} lieu(x) et {roads} tronçon(s) routier(s)",
        "measures.none": "Aucun lieu ni route à ce niveau",
        "evidence": "Éléments",
        "evidence.intro": "Pour chaque lieu ou route à {level} ou plus sur l'un des volets : les"
        " règles déclenchées et les incidents qui les fondent, du plus fort au plus faible, avec"
        " leur distance ; la date, le type, l'acteur et les notes de chaque incident figurent"
        " dans le registre ci-dessous. `advisory explain ID` donne la trace complète.",
        "evidence.intro.print": "Pour chaque lieu ou route à {level} ou plus sur l'un des"
        " volets : les règles déclenchées et jusqu'à {n} de ses incidents les plus forts, avec"
        " leur distance. Tous les incidents, avec leurs notes, figurent dans l'édition HTML et"
        " l'évaluation JSON ; `advisory explain ID` donne la trace complète.",
        "evidence.more": "et {n} autres incidents : voir l'édition HTML ou l'évaluation JSON",
        "evidence.more.one": "et {n} autre incident : voir l'édition HTML ou l'évaluation JSON",
        "evidence.rules": "Règles déclenchées",
        "evidence.incidents": "Incidents à l'origine des facteurs",
        "evidence.no_incidents": "Aucun incident derrière ces facteurs.",
        "evidence.register": "Registre des incidents",
        "evidence.register.note": "Tous les incidents cités ci-dessus, du plus récent au plus"
        " ancien, avec leurs champs ACLED tels que fournis (les notes sont celles de la source,"
        " en anglais le plus souvent, pas celles du moteur).",
        "precision": "précision géographique {n}",
        "col.rule": "Règle",
        "col.points": "Points",
        "col.because": "Motif",
        "col.date": "Date",
        "col.type": "Type",
        "col.actor": "Acteur",
        "col.distance": "Distance",
        "col.notes": "Notes",
        "col.id": "Id",
        "decisive": "décisive",
        "km": "{km} km",
        "places.title": "Avis par lieu",
        "places.all": "Tous les lieux et routes",
        "places.intro": "Chaque nom ouvre la page de ce lieu ou de cette route.",
        "place.control": "Contrôle : {status}.",
        "place.drivers": "Ce qui fonde ces niveaux",
        "place.drivers.none": "Aucune règle déclenchée : chaque niveau est à son plancher.",
        "place.incidents": "Incidents les plus forts derrière les facteurs",
        "place.more": "et {n} autres incidents : voir l'avis complet ou l'évaluation JSON",
        "place.more.one": "et {n} autre incident : voir l'avis complet ou l'évaluation JSON",
        "place.guidance": "Consignes gouvernementales en vigueur ici",
        "place.guidance.none": "Aucune consigne gouvernementale en vigueur ne couvre ce lieu.",
        "place.measures.none": "Le jeu de règles ne prévoit pas de mesures pour ce niveau.",
        "methodology": "Méthode d'évaluation",
        "method.1": "Classement : chaque incident reçoit des signaux (embuscade, enlèvement,"
        " attaque d'une position, prise de territoire, administration, blocus …) selon les règles"
        " du jeu de règles ; les embuscades sont lues dans les notes.",
        "method.2": "Exposition : pour chaque lieu et route, la somme des poids des incidents,"
        " atténués avec la distance et divisés par deux à chaque demi-vie ; une tendance compare"
        " les semaines récentes à l'année précédente.",
        "method.3": "Contrôle : la prise d'un centre de population qui se termine en moins de"
        " {raid} jours est un raid ; celle qui dure fait du centre un centre tenu, et tenu et"
        " administré si une administration suit.",
        "method.4": "Consignes en vigueur par lieu (la plus récente de chaque émetteur) : elles"
        " relèvent uniquement la sécurité des personnes.",
        "method.5": "Les points des règles donnent les cinq niveaux. La sécurité des personnes"
        " combine les risques d'embuscade et d'enlèvement ; l'effondrement du régime pondère les"
        " centres tenus par leur population et leur proximité de la capitale, et les combats"
        " durables dans celle-ci.",
        "method.6": "Probabilité : un taux constant est déduit de l'exposition atténuée et converti"
        " en chance d'au moins un incident en {days} jours (un modèle à vérifier a posteriori, pas"
        " un fait). La confiance dépend du nombre d'incidents, des sources indépendantes, de la"
        " fraîcheur et de la précision de localisation.",
        "sources": "Sources et attributions",
        "sources.illustrative": "Les incidents de cet avis sont FICTIFS : rédigés par le projet"
        " advisory au format ACLED, sur le modèle de reportages publics. Ce NE sont PAS des"
        " données ACLED et ils ne doivent pas être cités comme des faits réels.",
        "sources.mixed": "{n} incidents sur {total} sont marqués fictifs (rédigés par le projet"
        " advisory, pas des données ACLED).",
        "sources.acled": "Données d'incidents : Armed Conflict Location & Event Data (ACLED),"
        " acleddata.com, utilisées selon les conditions d'ACLED par le détenteur de l'export.",
        "sources.acled_format": "Format des incidents : ACLED (Armed Conflict Location & Event"
        " Data).",
        "sources.geonames": "Lieux : GeoNames (geonames.org), CC BY 4.0.",
        "sources.ocha": "Limites des cercles : OCHA Common Operational Dataset, limites"
        " administratives du Mali (COD-AB), crédit OCHA ; simplifiées.",
        "sources.ne": "Frontière nationale : Natural Earth (domaine public) ; simplifiée.",
        "sources.guidance": "Consignes gouvernementales, telles que citées dans chaque entrée :",
        "glossary": "Glossaire",
        "footer.engine": "Moteur {version}",
        "footer.pack": "Jeu de règles {name} {version}",
        "footer.inputs": "Données",
        "footer.levels": "Niveaux : {scale}",
        "letterhead": "advisory",
        "page": "Page",
        "of": "sur",
        "skip": "Aller aux tableaux",
    },
}

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "hazard": {
        "en": {
            "ambush": "Ambush",
            "kidnapping": "Kidnapping",
            "kidnapping_foreign": "Kidnapping of foreigners",
            "attacks": "Attacks on posts and seizures",
            "blockade": "Blockade",
            "unrest": "Unrest",
        },
        "fr": {
            "ambush": "Embuscade",
            "kidnapping": "Enlèvement",
            "kidnapping_foreign": "Enlèvement d'étrangers",
            "attacks": "Attaques de postes et prises",
            "blockade": "Blocus",
            "unrest": "Troubles",
        },
    },
    "confidence": {
        "en": {"low": "low", "moderate": "moderate", "high": "high"},
        "fr": {"low": "faible", "moderate": "modérée", "high": "élevée"},
    },
    # US ICD 203 estimative words (the pack's `likelihood.words`) and common French renderings
    "estimative": {
        "en": {},
        "fr": {
            "almost no chance": "quasiment exclu",
            "very unlikely": "très improbable",
            "unlikely": "improbable",
            "roughly even chance": "à peu près une chance sur deux",
            "likely": "probable",
            "very likely": "très probable",
            "almost certain": "quasi certain",
        },
    },
    "status": {
        "en": {
            "government": "held by the government",
            "contested": "seized, raid window open",
            "held": "held by an armed group",
            "held_governed": "held and governed by an armed group",
            "none": "not a population centre",
        },
        "fr": {
            "government": "tenu par l'État",
            "contested": "pris, fenêtre de raid ouverte",
            "held": "tenu par un groupe armé",
            "held_governed": "tenu et administré par un groupe armé",
            "none": "pas un centre de population",
        },
    },
    "kind": {
        "en": {
            "capital": "capital",
            "city": "city",
            "town": "town",
            "village": "village",
            "airport": "airport",
            "border_crossing": "border crossing",
            "base": "base",
            "route": "road",
        },
        "fr": {
            "capital": "capitale",
            "city": "ville",
            "town": "localité",
            "village": "village",
            "airport": "aéroport",
            "border_crossing": "poste frontière",
            "base": "base",
            "route": "route",
        },
    },
    "guidance_level": {
        "en": {
            "1": "Exercise normal precautions",
            "2": "Exercise increased caution",
            "3": "Reconsider travel",
            "4": "Do not travel",
        },
        "fr": {
            "1": "Précautions normales",
            "2": "Vigilance renforcée",
            "3": "Déplacements à reconsidérer",
            "4": "Ne pas se rendre dans le pays",
        },
    },
    "action": {
        "en": {
            "none": "no departure order",
            "authorized_departure": "authorized departure of staff",
            "ordered_departure": "ordered departure of staff",
            "leave_now": "nationals told to leave",
            "embassy_closed": "embassy closed",
        },
        "fr": {
            "none": "pas de consigne de départ",
            "authorized_departure": "départ autorisé du personnel",
            "ordered_departure": "départ ordonné du personnel",
            "leave_now": "ressortissants invités à partir",
            "embassy_closed": "ambassade fermée",
        },
    },
    "reason": {
        "en": {
            "terrorism": "terrorism",
            "kidnapping": "kidnapping",
            "crime": "crime",
            "unrest": "unrest",
            "armed_conflict": "armed conflict",
            "wrongful_detention": "wrongful detention",
            "health": "health",
            "natural_disaster": "natural disaster",
            "other": "other",
        },
        "fr": {
            "terrorism": "terrorisme",
            "kidnapping": "enlèvement",
            "crime": "criminalité",
            "unrest": "troubles",
            "armed_conflict": "conflit armé",
            "wrongful_detention": "détention arbitraire",
            "health": "santé",
            "natural_disaster": "catastrophe naturelle",
            "other": "autre",
        },
    },
    "issuer": {
        "en": {
            "US": "United States",
            "GB": "United Kingdom",
            "FR": "France",
            "CA": "Canada",
            "DE": "Germany",
            "AU": "Australia",
            "BE": "Belgium",
            "NL": "Netherlands",
            "CH": "Switzerland",
        },
        "fr": {
            "US": "États-Unis",
            "GB": "Royaume-Uni",
            "FR": "France",
            "CA": "Canada",
            "DE": "Allemagne",
            "AU": "Australie",
            "BE": "Belgique",
            "NL": "Pays-Bas",
            "CH": "Suisse",
        },
    },
}

GLOSSARY: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("ACLED", "Armed Conflict Location & Event Data: the field's standard incident data set."),
        ("FAMa", "Forces armées maliennes, the Malian armed forces."),
        (
            "HTS",
            "Hay'at Tahrir al-Sham, the Syrian group that ran a government in Idlib before"
            " it took Damascus: the contrast with JNIM, which has no parallel administration.",
        ),
        (
            "ICD 203",
            "US Intelligence Community Directive 203: estimative words (unlikely, likely,"
            " very likely …) tied to probability bands; confidence is stated separately.",
        ),
        ("ISSP", "Islamic State Sahel Province (IS Sahel)."),
        ("JNIM", "Jama'at Nusrat al-Islam wal-Muslimin, al-Qaeda's Sahel branch."),
        ("MINUSMA", "The UN stabilisation mission in Mali, ended in June 2023."),
        (
            "Raid",
            "A seizure of a town or post that ends (regain or withdrawal) within the raid"
            " window: a personal-security signal, not a change of control.",
        ),
        (
            "Held / governed",
            "A seizure that outlasts the raid window; governed when the group"
            " sets up headquarters, courts or taxation there.",
        ),
        (
            "Personal security",
            "The risk to people travelling or working: ambush and kidnapping"
            " hazards, with blockades and attacks as drivers.",
        ),
        ("Regime collapse", "The risk that the state loses its population centres and capital."),
    ],
    "fr": [
        (
            "ACLED",
            "Armed Conflict Location & Event Data : la base de référence des incidents armés.",
        ),
        ("FAMa", "Forces armées maliennes."),
        (
            "HTS",
            "Hayat Tahrir al-Cham, le groupe syrien qui administrait Idlib avant de prendre"
            " Damas : le contraste avec le JNIM, sans administration parallèle.",
        ),
        (
            "ICD 203",
            "Directive 203 du renseignement américain : des termes d'estimation"
            " (improbable, probable, très probable …) liés à des plages de probabilité ;"
            " la confiance est indiquée séparément.",
        ),
        ("ISSP", "État islamique au Sahel (IS Sahel)."),
        ("JNIM", "Jama'at Nusrat al-Islam wal-Muslimin (GSIM), branche sahélienne d'al-Qaïda."),
        ("MINUSMA", "Mission de stabilisation des Nations unies au Mali, terminée en juin 2023."),
        (
            "Raid",
            "Prise d'une ville ou d'un poste qui se termine (reprise ou retrait) dans la"
            " fenêtre de raid : un signal de sécurité des personnes, pas un changement de"
            " contrôle.",
        ),
        (
            "Tenu / administré",
            "Une prise qui dure au-delà de la fenêtre de raid ; administré quand"
            " le groupe y installe un quartier général, des tribunaux ou des impôts.",
        ),
        (
            "Sécurité des personnes",
            "Le risque pour les personnes qui se déplacent ou travaillent :"
            " embuscades et enlèvements, avec blocus et attaques comme facteurs.",
        ),
        (
            "Effondrement du régime",
            "Le risque que l'État perde ses centres de population et sa capitale.",
        ),
    ],
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def translator(lang: str) -> Callable[..., str]:
    """`t("key", **values)`: the catalogue sentence with its placeholders filled."""
    table = CATALOG[check_lang(lang)]

    def t(key: str, **values: object) -> str:
        text = table[key]
        return text.format(**values) if values else text

    return t


def label(kind: str, lang: str, key: object, default: str | None = None) -> str:
    """A controlled-vocabulary label (hazard, status, action ...); falls back to the key."""
    table = LABELS[kind][check_lang(lang)]
    k = str(key)
    return table.get(k, default if default is not None else k)


def level_label(level: int, lang: str, pack_labels: list[str]) -> str:
    """English labels come from the pack (they name the levels); French by level number."""
    if lang == "fr":
        return LEVELS_FR[level]
    return pack_labels[level - 1]
