"""Generate a synthetic ACLED-format export and a West African gazetteer for the scale bench.

Issue 6 times `advisory assess` against a bare `polars.read_csv` of the same file, so the file
has to cost what a real export costs to read and to classify: all of ACLED's columns in its
order, realistic widths, date-prefixed notes of 150-600 characters built from templates (so the
rule pack's regular expressions have real work to do and hit a realistic share), actors,
sources and codes consistent with ACLED's codebook. Events are spread over West Africa and ten
years, clustered around towns (weighted by population and by conflict hot spots), along the
generated roads, plus background noise. Real capitals and large cities anchor the gazetteer;
every other name is synthetic. None of this is ACLED data; it is never committed.

    python bench/generate.py --events 1000000 --places 10000 --roads 200 --out bench/out --seed 42

Another bench script can `sys.path.insert(0, str(Path(__file__).parent)); import generate` and
call `generate_places`, `generate_events`, `write_places`, `write_events` or `generate`.
The same seed gives byte-identical files; places do not depend on the number of events.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import string
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from advisory.ingest.acled import COLUMNS

AS_OF = date(2025, 11, 20)
YEARS = 10
LAT_RANGE = (4.0, 25.0)
LON_RANGE = (-18.0, 16.0)
KM_LAT = 110.57
KM_LON = 111.32

# --- reference tables -------------------------------------------------------------------------
# code|ACLED country name|ISO 3166 numeric|event_id prefix|demonym|share of events|time profile|
# road-number prefix|has admin3
COUNTRY_ROWS = """
ML|Mali|466|MLI|Malian|0.16|sahel_ml|RN|y
BF|Burkina Faso|854|BFO|Burkinabe|0.19|sahel_bf|RN|y
NE|Niger|562|NIR|Nigerien|0.08|sahel_ne|RN|y
NG|Nigeria|566|NIG|Nigerian|0.36|nigeria|A|n
SN|Senegal|686|SEN|Senegalese|0.025|flat|N|y
MR|Mauritania|478|MAU|Mauritanian|0.008|flat|N|y
GN|Guinea|324|GIN|Guinean|0.03|flat|N|y
CI|Ivory Coast|384|CDI|Ivorian|0.02|flat|A|y
GH|Ghana|288|GHA|Ghanaian|0.025|flat|N|n
TG|Togo|768|TOG|Togolese|0.01|coastal_north|N|y
BJ|Benin|204|BEN|Beninese|0.025|coastal_north|RNIE|y
SL|Sierra Leone|694|SIE|Sierra Leonean|0.012|flat|A|n
LR|Liberia|430|LBR|Liberian|0.012|flat|RL|n
GW|Guinea-Bissau|624|GNB|Bissau-Guinean|0.004|flat|N|y
GM|Gambia|270|GAM|Gambian|0.004|flat|N|n
"""
# Relative yearly activity, oldest year first: the central Sahel escalates, the coast is flat.
PROFILES = {
    "sahel_ml": (0.25, 0.3, 0.45, 0.7, 0.8, 0.85, 1.0, 1.1, 1.0, 1.0),
    "sahel_bf": (0.05, 0.1, 0.3, 0.6, 0.8, 0.9, 1.1, 1.2, 1.0, 0.9),
    "sahel_ne": (0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 0.8, 1.0, 1.0, 0.9),
    "nigeria": (0.7, 0.7, 0.8, 0.9, 1.0, 1.1, 1.0, 1.0, 0.95, 0.9),
    "coastal_north": (0.3, 0.3, 0.3, 0.4, 0.4, 0.6, 0.9, 1.1, 1.1, 1.0),
    "flat": (0.8, 0.85, 0.9, 0.9, 1.0, 0.9, 1.0, 1.05, 1.1, 1.1),
}
# code|admin1|centroid lat|lon|hot-spot weight[|radius km: a capital district, not a Voronoi cell]
ADMIN1_ROWS = """
ML|Kayes|14.4|-10.9|0.8
ML|Koulikoro|13.8|-7.6|1.5
ML|Sikasso|11.3|-6.6|0.8
ML|Ségou|13.8|-5.9|3
ML|Mopti|14.6|-3.7|4
ML|Tombouctou|17.5|-3.0|2.5
ML|Gao|16.3|0.0|2.5
ML|Kidal|19.5|1.3|1.2
ML|Ménaka|16.0|2.6|2.5
ML|Taoudénit|22.3|-4.0|0.3
ML|Bamako|12.64|-8.0|1|22
BF|Boucle du Mouhoun|12.4|-3.6|2.5
BF|Cascades|10.4|-4.6|1
BF|Centre|12.37|-1.52|1|25
BF|Centre-Est|11.5|-0.3|1.5
BF|Centre-Nord|13.2|-1.1|3
BF|Centre-Ouest|11.9|-2.3|1
BF|Centre-Sud|11.5|-1.1|0.8
BF|Est|12.0|1.0|3
BF|Hauts-Bassins|11.3|-4.3|1
BF|Nord|13.5|-2.3|2.5
BF|Plateau-Central|12.6|-0.9|0.8
BF|Sahel|14.0|-0.2|4
BF|Sud-Ouest|10.4|-3.2|1
NE|Agadez|18.5|9.5|0.5
NE|Diffa|14.0|12.5|2.5
NE|Dosso|12.8|3.5|0.8
NE|Maradi|13.8|7.3|1.5
NE|Niamey|13.51|2.12|1|20
NE|Tahoua|15.5|5.0|1.5
NE|Tillabéri|14.2|1.5|4
NE|Zinder|14.5|9.5|0.8
NG|Abia|5.45|7.5|0.8
NG|Adamawa|9.3|12.4|1.5
NG|Akwa Ibom|5.0|7.85|0.7
NG|Anambra|6.2|6.95|1
NG|Bauchi|10.5|10.0|1
NG|Bayelsa|4.8|6.1|0.8
NG|Benue|7.3|8.7|2
NG|Borno|11.8|13.1|4
NG|Cross River|5.9|8.6|0.7
NG|Delta|5.6|6.0|1
NG|Ebonyi|6.25|8.0|0.7
NG|Edo|6.6|5.9|0.8
NG|Ekiti|7.7|5.3|0.5
NG|Enugu|6.5|7.4|0.8
NG|Federal Capital Territory|8.9|7.2|1.2
NG|Gombe|10.3|11.2|0.7
NG|Imo|5.5|7.05|1.2
NG|Jigawa|12.2|9.4|0.5
NG|Kaduna|10.4|7.7|2.5
NG|Kano|11.7|8.5|0.8
NG|Katsina|12.4|7.6|2.5
NG|Kebbi|11.7|4.2|1
NG|Kogi|7.7|6.7|1
NG|Kwara|8.8|4.7|0.7
NG|Lagos|6.55|3.6|1.5
NG|Nasarawa|8.5|8.2|0.8
NG|Niger|9.9|5.6|2
NG|Ogun|7.0|3.4|0.7
NG|Ondo|7.1|5.1|0.7
NG|Osun|7.55|4.55|0.5
NG|Oyo|8.1|3.6|0.8
NG|Plateau|9.2|9.5|2
NG|Rivers|4.85|6.85|1.5
NG|Sokoto|13.0|5.3|2
NG|Taraba|8.0|10.8|1
NG|Yobe|12.3|11.5|2
NG|Zamfara|12.1|6.2|3
SN|Dakar|14.75|-17.3|1|30
SN|Diourbel|14.7|-16.2|1
SN|Fatick|14.3|-16.4|1
SN|Kaffrine|14.1|-15.5|1
SN|Kaolack|14.0|-16.0|1
SN|Kédougou|12.6|-12.2|1
SN|Kolda|12.9|-14.9|1
SN|Louga|15.4|-15.6|1
SN|Matam|15.3|-13.3|1
SN|Saint-Louis|16.2|-14.7|1
SN|Sédhiou|12.7|-15.6|1
SN|Tambacounda|13.8|-13.6|1
SN|Thiès|14.8|-16.7|1
SN|Ziguinchor|12.6|-16.3|1.5
MR|Adrar|20.5|-11.5|1
MR|Assaba|16.6|-11.5|1
MR|Brakna|17.2|-13.4|1
MR|Dakhlet Nouadhibou|20.9|-16.2|1
MR|Gorgol|15.9|-12.6|1
MR|Guidimaka|15.3|-12.1|1
MR|Hodh ech Chargui|18.0|-7.0|1.5
MR|Hodh el Gharbi|16.6|-9.9|1
MR|Inchiri|20.0|-15.0|1
MR|Nouakchott|18.08|-15.97|1|30
MR|Tagant|18.5|-10.5|1
MR|Tiris Zemmour|24.0|-10.0|1
MR|Trarza|17.8|-15.0|1
GN|Boké|11.0|-14.0|1
GN|Conakry|9.6|-13.6|1|25
GN|Faranah|10.0|-10.7|1
GN|Kankan|10.4|-9.3|1
GN|Kindia|10.0|-12.8|1
GN|Labé|11.6|-12.3|1
GN|Mamou|10.6|-12.0|1
GN|Nzérékoré|8.2|-8.9|1
CI|Abidjan|5.35|-4.0|1|30
CI|Bas-Sassandra|5.3|-6.7|1
CI|Comoé|6.2|-3.3|1
CI|Denguélé|9.7|-7.4|1
CI|Gôh-Djiboua|6.1|-5.7|1
CI|Lacs|7.1|-5.0|1
CI|Lagunes|5.8|-4.5|1
CI|Montagnes|7.3|-7.7|1
CI|Sassandra-Marahoué|7.0|-6.3|1
CI|Savanes|9.5|-5.6|1
CI|Vallée du Bandama|8.0|-5.0|1
CI|Woroba|8.2|-6.9|1
CI|Yamoussoukro|6.82|-5.28|1|25
CI|Zanzan|8.3|-3.3|1
GH|Greater Accra|5.7|-0.2|1.2
GH|Ashanti|6.75|-1.6|1
GH|Central|5.5|-1.2|1
GH|Eastern|6.4|-0.5|1
GH|Western|5.3|-2.2|1
GH|Volta|6.6|0.45|1
GH|Northern|9.4|-0.9|1.2
GH|Upper East|10.8|-0.9|1.2
GH|Upper West|10.3|-2.3|1
GH|Bono|7.7|-2.4|1
GH|Savannah|9.1|-1.8|1
GH|Oti|8.0|0.4|1
GH|Ahafo|7.0|-2.4|1
GH|Bono East|7.8|-1.1|1
GH|North East|10.4|-0.4|1
GH|Western North|6.3|-2.8|1
TG|Maritime|6.4|1.4|1
TG|Plateaux|7.4|1.0|1
TG|Centrale|8.8|1.1|1
TG|Kara|9.8|1.0|1
TG|Savanes|10.6|0.3|3
BJ|Alibori|11.3|2.9|3
BJ|Atacora|10.8|1.4|3
BJ|Atlantique|6.6|2.2|1
BJ|Borgou|9.7|2.8|1.5
BJ|Collines|8.2|2.2|1
BJ|Couffo|7.0|1.8|1
BJ|Donga|9.5|1.7|1
BJ|Littoral|6.37|2.42|1|12
BJ|Mono|6.5|1.8|1
BJ|Ouémé|6.6|2.55|1
BJ|Plateau|7.2|2.6|1
BJ|Zou|7.2|2.2|1
SL|Eastern|8.1|-10.9|1
SL|Northern|9.3|-12.0|1
SL|North West|9.1|-12.7|1
SL|Southern|7.6|-12.0|1
SL|Western Area|8.4|-13.2|1|25
LR|Montserrado|6.4|-10.7|1
LR|Nimba|7.0|-8.7|1
LR|Bong|7.0|-9.6|1
LR|Lofa|8.1|-9.7|1
LR|Grand Bassa|6.2|-9.7|1
LR|Margibi|6.5|-10.3|1
LR|Bomi|6.8|-10.8|1
LR|Grand Cape Mount|7.0|-11.1|1
LR|Grand Gedeh|5.9|-8.2|1
LR|Maryland|4.6|-7.6|1
LR|Sinoe|5.3|-8.7|1
LR|River Cess|5.8|-9.4|1
LR|Grand Kru|4.8|-8.2|1
LR|Gbarpolu|7.5|-10.1|1
LR|River Gee|5.3|-7.9|1
GW|Bafatá|12.2|-14.7|1
GW|Biombo|11.85|-15.8|1
GW|Bissau|11.86|-15.6|1|10
GW|Bolama|11.4|-15.8|1
GW|Cacheu|12.1|-16.0|1
GW|Gabú|12.1|-14.0|1
GW|Oio|12.3|-15.3|1
GW|Quinara|11.6|-15.1|1
GW|Tombali|11.2|-15.1|1
GM|Banjul|13.45|-16.58|1|4
GM|Kanifing|13.44|-16.68|1|6
GM|West Coast|13.2|-16.5|1
GM|North Bank|13.55|-16.0|1
GM|Lower River|13.4|-15.6|1
GM|Central River|13.6|-14.9|1
GM|Upper River|13.3|-14.2|1
"""
NORTH_COAST = {("BJ", "Alibori"), ("BJ", "Atacora"), ("BJ", "Borgou"), ("BJ", "Donga")} | {
    ("TG", "Savanes"),
    ("TG", "Kara"),
}
JIHADIST_NIGERIA = {"Borno", "Yobe", "Adamawa", "Gombe"}
MALI_NORTH = {"Kidal", "Gao", "Tombouctou", "Ménaka", "Taoudénit"}
# Real capitals and large towns (approximate coordinates and populations) anchor the gazetteer.
CITY_ROWS = """
ML|Bamako|12.6392|-8.0029|2800000
BF|Ouagadougou|12.3714|-1.5197|2900000
NE|Niamey|13.5116|2.1254|1400000
NG|Abuja|9.0765|7.3986|1500000
NG|Lagos|6.5244|3.3792|15000000
NG|Kano|12.0022|8.592|4000000
NG|Ibadan|7.3775|3.947|3600000
NG|Kaduna|10.5105|7.4165|1600000
NG|Maiduguri|11.8311|13.151|1000000
NG|Sokoto|13.0059|5.2476|600000
NG|Jos|9.8965|8.8583|900000
NG|Port Harcourt|4.8156|7.0498|1900000
NG|Benin City|6.335|5.6037|1500000
NG|Katsina|12.9908|7.6018|400000
NG|Gusau|12.1628|6.6614|250000
NG|Makurdi|7.7322|8.5391|300000
NG|Yola|9.2035|12.4954|400000
NG|Zaria|11.0855|7.7199|900000
NG|Bauchi|10.3158|9.8442|300000
NG|Gombe|10.2897|11.1673|300000
NG|Minna|9.6139|6.5569|300000
NG|Ilorin|8.4966|4.5421|800000
NG|Enugu|6.4584|7.5464|800000
NG|Onitsha|6.1497|6.7857|1000000
NG|Warri|5.5167|5.75|500000
NG|Calabar|4.9757|8.3417|450000
NG|Owerri|5.4836|7.0333|400000
NG|Lokoja|7.8023|6.743|200000
NG|Birnin Kebbi|12.4539|4.1975|250000
NG|Damaturu|11.747|11.9608|100000
NG|Bama|11.52|13.69|90000
NG|Gwoza|11.08|13.69|60000
NG|Monguno|12.67|13.61|50000
NG|Birnin Gwari|10.77|6.54|40000
NG|Jalingo|8.8937|11.3597|150000
NG|Lafia|8.4939|8.5153|130000
NG|Akure|7.2571|5.2058|500000
NG|Abeokuta|7.1475|3.3619|500000
SN|Dakar|14.7167|-17.4677|3100000
SN|Touba|14.85|-15.88|750000
SN|Saint-Louis|16.0179|-16.4896|250000
SN|Ziguinchor|12.5833|-16.2719|200000
SN|Tambacounda|13.7707|-13.6673|100000
SN|Kaolack|14.152|-16.0726|230000
MR|Nouakchott|18.0735|-15.9582|1200000
MR|Nouadhibou|20.931|-17.0347|120000
MR|Néma|16.617|-7.25|60000
MR|Kiffa|16.62|-11.4|50000
GN|Conakry|9.6412|-13.5784|1900000
GN|Kankan|10.3854|-9.3057|200000
GN|Nzérékoré|7.7562|-8.8179|200000
GN|Labé|11.3182|-12.2833|200000
CI|Abidjan|5.36|-4.0083|5000000
CI|Yamoussoukro|6.8276|-5.2893|350000
CI|Bouaké|7.69|-5.03|700000
CI|Korhogo|9.458|-5.6296|300000
CI|San-Pédro|4.7485|-6.6363|260000
GH|Accra|5.6037|-0.187|2500000
GH|Kumasi|6.6885|-1.6244|3000000
GH|Tamale|9.4034|-0.8424|400000
GH|Bolgatanga|10.7856|-0.8514|70000
TG|Lomé|6.1725|1.2314|1800000
TG|Kara|9.5511|1.1861|100000
TG|Dapaong|10.8623|0.2076|60000
BJ|Cotonou|6.3703|2.3912|700000
BJ|Porto-Novo|6.4969|2.6289|300000
BJ|Parakou|9.3372|2.6303|250000
BJ|Kandi|11.1342|2.9386|50000
BJ|Natitingou|10.3042|1.3796|100000
SL|Freetown|8.4657|-13.2317|1200000
SL|Bo|7.9647|-11.7383|170000
SL|Kenema|7.8767|-11.19|200000
LR|Monrovia|6.3156|-10.8074|1500000
LR|Gbarnga|6.9956|-9.4722|50000
GW|Bissau|11.8636|-15.5977|500000
GM|Serekunda|13.4382|-16.6781|350000
GM|Banjul|13.4549|-16.579|30000
ML|Ségou|13.4317|-6.2157|200000
ML|Mopti|14.4843|-4.1827|120000
ML|Sikasso|11.3176|-5.6665|230000
ML|Kayes|14.4469|-11.4445|130000
ML|Gao|16.2666|-0.04|90000
ML|Tombouctou|16.7735|-3.0074|50000
ML|Kidal|18.4411|1.4078|30000
ML|Ménaka|15.9182|2.4022|20000
ML|Koutiala|12.3917|-5.4642|140000
ML|San|13.3034|-4.8956|70000
ML|Kati|12.7441|-8.0726|100000
ML|Bougouni|11.4171|-7.4832|60000
ML|Douentza|15.0019|-2.9498|25000
ML|Djenné|13.9061|-4.5533|30000
ML|Niono|14.2526|-5.993|35000
ML|Bandiagara|14.3501|-3.6104|25000
ML|Nioro du Sahel|15.23|-9.59|30000
ML|Kita|13.035|-9.4896|50000
ML|Tessalit|20.2|1.01|8000
BF|Bobo-Dioulasso|11.1771|-4.2979|900000
BF|Koudougou|12.2526|-2.3627|160000
BF|Ouahigouya|13.5828|-2.4216|120000
BF|Kaya|13.0917|-1.0844|120000
BF|Fada N'Gourma|12.0614|0.3581|70000
BF|Dori|14.0354|-0.0345|50000
BF|Djibo|14.1022|-1.6306|60000
BF|Banfora|10.6333|-4.7667|100000
BF|Dédougou|12.4634|-3.4607|60000
BF|Arbinda|14.23|-0.87|20000
BF|Diapaga|12.07|1.79|30000
NE|Zinder|13.805|8.9885|330000
NE|Maradi|13.5|7.1017|270000
NE|Tahoua|14.8888|5.2692|150000
NE|Agadez|16.9733|7.9911|120000
NE|Diffa|13.3154|12.6113|50000
NE|Dosso|13.049|3.1937|60000
NE|Tillabéri|14.2117|1.4531|30000
NE|Ouallam|14.32|2.09|20000
NE|Arlit|18.74|7.39|100000
NE|Téra|14.01|0.75|30000
"""
CAPITAL = "Bamako"
# Coarse outline of the land (lon, lat): places and events never fall in the sea.
LAND = (
    (-17.05, 20.77), (-16.95, 21.33), (-13.0, 21.33), (-13.0, 23.0), (-12.0, 23.45),
    (-12.0, 25.0), (-4.8, 25.0), (1.17, 21.1), (3.2, 19.8), (4.25, 19.15), (5.8, 19.45),
    (7.45, 20.85), (11.99, 23.52), (14.2, 22.6), (15.9, 20.4), (15.5, 16.9), (13.6, 13.7),
    (14.6, 12.2), (14.0, 10.8), (13.3, 9.2), (12.3, 8.4), (11.8, 7.0), (10.3, 6.8), (9.5, 6.0),
    (8.8, 5.0), (8.5, 4.55), (7.5, 4.45), (6.2, 4.25), (5.4, 5.2), (4.7, 6.25), (3.4, 6.4),
    (2.4, 6.33), (1.2, 6.1), (0.5, 5.8), (-0.2, 5.5), (-1.2, 5.1), (-2.1, 4.75), (-3.1, 5.05),
    (-4.0, 5.2), (-5.2, 5.15), (-6.6, 4.7), (-7.5, 4.35), (-8.4, 4.6), (-9.4, 5.3),
    (-10.4, 6.1), (-11.0, 6.6), (-11.5, 7.0), (-12.4, 7.5), (-12.9, 7.9), (-13.3, 8.4),
    (-13.2, 9.0), (-13.7, 9.5), (-14.5, 10.3), (-15.0, 10.8), (-15.5, 11.3), (-16.3, 11.8),
    (-16.7, 12.35), (-16.75, 13.0), (-16.8, 13.5), (-17.15, 14.6), (-17.5, 14.75),
    (-17.15, 14.9), (-16.8, 15.4), (-16.5, 16.1), (-16.2, 17.0), (-16.05, 18.0), (-16.2, 19.0),
    (-16.5, 19.5), (-16.3, 20.1), (-16.9, 20.6),
)  # fmt: skip

# Syllables per naming tradition, so that synthetic names read as plausible local names.
FLAVOURS = {
    "mande": (
        "Ba Bou Da Dia Do Fa Ka Kal Ke Ki Ko Kou Ma Mo Na Ni Sa Se Si So Sou Ta To Tou Ya Zan "
        "Ban Dou Fou Kon Man Nia Sanan Sé Bé Bam Dio Fan Gan Kol Kog Mou Nan Sab San Sir Soum "
        "Tie Tim Wol Dian Fala Kéni",
        "ra la ni ko ba ma di na ga si to fa ke mo",
        "bougou dougou koro ba la ni so dala kan ya bala sso gou ro ndo dji fara kala na ré "
        "dala kè nin ko mana guié",
        ("-Koura", " Peulh", "-Wèrè", "-Coura"),
    ),
    "moore": (
        "Ou Kou Tan Zi Sa Ka Bou Ya Ti Go Ar Dji Se Ba To Zo Na Ko Gour Sol Pis Ta Nio Bar Bog "
        "Dia Gou Kay Kom Lal Man Nou Pou Rou Sap Tou Yak Zab Kor Lan Ri Sam Tam",
        "ga go re ba si la ko na sa",
        "ga go re sse tenga ogo bo la gou ri ndi oum ndé koum sia tinga yalé ba dogo gho ssin",
        ("-Peulh", " Mossi", "-Yarsé", "-Silmiougou"),
    ),
    "hausa": (
        "Ka Ma Bir Dan Gi Ga Tu Za Kur Ru Bau Dut Gum Jiba Sha Tsa Ya Bak Mai Kaf Zur Fun Dak Dam "
        "Gan Kan Kat Kwa Mag Mal Rug Sab Tak Wal Yan Zar Dog Gwa Bunk Dan Kaura Mada",
        "ra ri ma na ta du ka ya ki",
        "wa ri nin ra mi ki dawa jiya gari sau ka ta duwa tsi mawa bawa kuwa ya ma ko di ji gi",
        ("", ""),
    ),
    "coastal": (
        "A O E Ko Ku Ada Ake Abo Ibe Oke Ogun Ase Ama Tak Sun Asa Ho Ke Ato Kpa Ag Ob Nsu Aba Ad "
        "Af Ak Ay Bo Da Ef Eg Ek Gba Ij Ik Il Ir Is Iw Mba Nk Ny Od Of Og Ok Ol Om On Or Os Ot "
        "Ow Ug Um Ur Ut",
        "ra ma ku ne so di ba de fo gu ja ke lu mu",
        "ra man so kro krom me ye ti ji di la ku wa ase dan oko agu ede poe ja be bo fe ga ko "
        "kun le na nu re ri ro sa se ta te wo yo",
        ("-Nkwanta", " Junction", "-Oja", " Camp"),
    ),
    "sahara": (
        "Ta Ak Ou Ti In Ara Tim Tek Te Aza Aba Ag Ein Bor Ad Am Ef Ig Ir Ka Ta Tin",
        "ga ra ma zi ke lo",
        "ezza moust rit ouine ane akrane tiddi ouar ouk ssalit rene enkor el ine ghar ilal oum",
        ("",),
    ),
}
NAME_PREFIX_WORDS = {"hausa": ("Gidan ", "Tudun ", "Unguwan "), "sahara": ("Aïn ", "Bir ", "Oum ")}


def _rows(block: str) -> list[list[str]]:
    return [line.split("|") for line in block.strip().splitlines()]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    iso: int
    prefix: str
    demonym: str
    share: float
    profile: str
    road_prefix: str
    has_admin3: bool


COUNTRIES = [
    Country(c, n, int(i), p, d, float(s), pr, rp, h == "y")
    for c, n, i, p, d, s, pr, rp, h in _rows(COUNTRY_ROWS)
]
CODE_INDEX = {c.code: i for i, c in enumerate(COUNTRIES)}


@dataclass(frozen=True)
class Admin1:
    country: int
    name: str
    lat: float
    lon: float
    weight: float
    radius_km: float | None
    group: str
    flavour: str


def _group(code: str, name: str) -> str:
    if code in ("ML", "BF", "NE"):
        return "sahel"
    if code == "NG":
        return "nigeria"
    return "coastal_north" if (code, name) in NORTH_COAST else "coastal"


def _flavour(code: str, lat: float, lon: float) -> str:
    if code == "MR" or lat > 17.5:
        return "sahara"
    if code == "NG":
        return "hausa" if lat > 9 else "coastal"
    if code == "NE":
        return "hausa" if lon > 5 else "moore"
    if code == "BF":
        return "moore"
    if code in ("GH", "TG", "BJ") or (code == "CI" and lat < 8.5):
        return "coastal"
    return "mande"


ADMIN1 = [
    Admin1(
        CODE_INDEX[r[0]],
        r[1],
        float(r[2]),
        float(r[3]),
        float(r[4]),
        float(r[5]) if len(r) > 5 else None,
        _group(r[0], r[1]),
        _flavour(r[0], float(r[2]), float(r[3])),
    )
    for r in _rows(ADMIN1_ROWS)
]


# --- small helpers ----------------------------------------------------------------------------
def _rng(seed: int, stream: int) -> np.random.Generator:
    """Independent streams: the places do not change when only the number of events does."""
    return np.random.default_rng(np.random.SeedSequence([seed, stream]))


def slug(text: str) -> str:
    """The places contract's id form: ASCII letters, digits and single hyphens."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in ascii_.replace("'", ""))
    return "-".join(p for p in out.split("-") if p)


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Equirectangular distance (km): plenty for clustering and nearest-neighbour choices."""
    coslat = np.cos(np.radians((lat1 + lat2) / 2))
    return np.hypot((lat1 - lat2) * KM_LAT, (lon1 - lon2) * KM_LON * coslat)


def on_land(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Ray casting against the coarse outline, vectorised over points."""
    inside = np.zeros(lat.shape, dtype=bool)
    poly = np.array(LAND)
    xs, ys = poly[:, 0], poly[:, 1]
    xe, ye = np.roll(xs, -1), np.roll(ys, -1)
    for x0, y0, x1, y1 in zip(xs, ys, xe, ye, strict=True):
        crosses = (y0 > lat) != (y1 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (lon < x_at)
    return inside


def _density(lat: np.ndarray) -> np.ndarray:
    """Settlement density falls from the savanna to the Sahara."""
    return np.interp(lat, [4, 11, 16, 20, 25], [1.0, 1.0, 0.12, 0.02, 0.01])


def _nearest(
    qlat: np.ndarray, qlon: np.ndarray, plat: np.ndarray, plon: np.ndarray, chunk: int = 2048
) -> np.ndarray:
    """Index of the nearest point for each query, brute force in chunks (no SciPy needed)."""
    out = np.empty(len(qlat), dtype=np.int64)
    plat32, plon32 = plat.astype(np.float32), plon.astype(np.float32)
    for s in range(0, len(qlat), chunk):
        la = qlat[s : s + chunk, None].astype(np.float32)
        lo = qlon[s : s + chunk, None].astype(np.float32)
        c = np.cos(np.radians(la))
        d = ((la - plat32) * KM_LAT) ** 2 + ((lo - plon32) * KM_LON * c) ** 2
        out[s : s + chunk] = np.argmin(d, axis=1)
    return out


def _names(rng: np.random.Generator, flavours: list[str]) -> list[str]:
    """One synthetic name per entry, drawn from the syllables of its tradition."""
    out = []
    parsed = {k: (a.split(), b.split(), c.split(), d) for k, (a, b, c, d) in FLAVOURS.items()}
    r = rng.random((len(flavours), 6))
    for f, (u0, u1, u2, u3, u4, u5) in zip(flavours, r, strict=True):
        pre, mid, suf, mods = parsed[f]
        name = pre[int(u0 * len(pre))]
        if u1 < 0.5:  # none, one or two middle syllables
            name += mid[int(u1 / 0.5 * len(mid))]
        if u1 < 0.15:
            name += mid[int(u5 * len(mid))]
        name += suf[int(u2 * len(suf))]
        words = NAME_PREFIX_WORDS.get(f)
        if words and u3 < 0.1:
            name = words[int(u3 * 10 * len(words))] + name
        if u4 < 0.05 and mods[0]:
            name += mods[int(u5 * len(mods))]
        out.append(name)
    return out


def _sample_points(
    rng: np.random.Generator,
    n: int,
    anchors: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    clustered_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Points on land: a share clustered around weighted anchors, the rest by settlement
    density (dense savanna and coast, empty desert)."""
    lat_out: list[np.ndarray] = []
    lon_out: list[np.ndarray] = []
    got = 0
    while got < n:
        m = int((n - got) * 2.5) + 64
        lat = rng.uniform(*LAT_RANGE, m)
        lon = rng.uniform(*LON_RANGE, m)
        keep = rng.random(m) < _density(lat)
        if anchors is not None:
            a_lat, a_lon, a_w = anchors
            near = rng.random(m) < clustered_share
            k = rng.choice(len(a_w), m, p=a_w)
            sigma = rng.uniform(12, 70, m)
            c_lat = a_lat[k] + rng.normal(0, 1, m) * sigma / KM_LAT
            c_lon = a_lon[k] + rng.normal(0, 1, m) * sigma / (KM_LON * np.cos(np.radians(c_lat)))
            lat = np.where(near, c_lat, lat)
            lon = np.where(near, c_lon, lon)
            keep |= near
        keep &= on_land(lat, lon)
        lat_out.append(lat[keep])
        lon_out.append(lon[keep])
        got += int(keep.sum())
    return np.concatenate(lat_out)[:n], np.concatenate(lon_out)[:n]


# --- places -----------------------------------------------------------------------------------
@dataclass
class Road:
    id: str
    name: str
    label: str
    a: int  # place index at the start
    b: int  # place index at the end
    lat: np.ndarray
    lon: np.ndarray
    length_km: float


@dataclass
class Places:
    """The generated gazetteer as arrays (for the event generator) plus its road polylines."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray  # 0 for airports (no population)
    admin1: np.ndarray  # index into ADMIN1
    admin2: list[str]
    admin3: list[str]
    roads: list[Road] = field(default_factory=list)

    @property
    def country(self) -> np.ndarray:
        return np.array([ADMIN1[a].country for a in self.admin1], dtype=np.int64)

    def extent(self) -> tuple[float, float, float, float]:
        """(min_lat, min_lon, max_lat, max_lon) over points and road vertices, as read back."""
        lats = np.concatenate([np.round(self.lat, 5), *[np.round(r.lat, 5) for r in self.roads]])
        lons = np.concatenate([np.round(self.lon, 5), *[np.round(r.lon, 5) for r in self.roads]])
        return float(lats.min()), float(lons.min()), float(lats.max()), float(lons.max())

    def features(self) -> list[dict[str, object]]:
        feats: list[dict[str, object]] = []
        for i, pid in enumerate(self.ids):
            a1 = ADMIN1[self.admin1[i]]
            props: dict[str, object] = {"id": pid, "name": self.names[i], "kind": self.kinds[i]}
            if self.population[i] > 0:
                props["population"] = int(self.population[i])
            props["admin1"] = a1.name
            props["country"] = COUNTRIES[a1.country].code
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(float(self.lon[i]), 5), round(float(self.lat[i]), 5)],
                    },
                    "properties": props,
                }
            )
        for r in self.roads:
            a1 = ADMIN1[self.admin1[r.a]]
            coords = [
                [round(float(lo), 5), round(float(la), 5)]
                for la, lo in zip(r.lat, r.lon, strict=True)
            ]
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coords},
                    "properties": {
                        "id": r.id,
                        "name": r.name,
                        "kind": "route",
                        "road": r.label,
                        "from": self.ids[r.a],
                        "to": self.ids[r.b],
                        "admin1": a1.name,
                        "country": COUNTRIES[a1.country].code,
                    },
                }
            )
        return feats


def _assign_admin1(lat: np.ndarray, lon: np.ndarray, country: np.ndarray | None) -> np.ndarray:
    """Nearest admin1 centroid (within the country when it is known); capital districts only
    within their small radius, so that they do not swallow the countryside."""
    a_lat = np.array([a.lat for a in ADMIN1])
    a_lon = np.array([a.lon for a in ADMIN1])
    radius = np.array([a.radius_km or np.inf for a in ADMIN1])
    a_cty = np.array([a.country for a in ADMIN1])
    d = _km(lat[:, None], lon[:, None], a_lat[None, :], a_lon[None, :])
    d = np.where(d > radius[None, :], np.inf, d)
    if country is not None:
        d = np.where(a_cty[None, :] == country[:, None], d, np.inf)
    return np.argmin(d, axis=1)


def _admin_seats(
    lat: np.ndarray, lon: np.ndarray, pop: np.ndarray, admin1: np.ndarray, per_seat: int
) -> np.ndarray:
    """For each place, the index of its district seat: the most populous places of its admin1,
    one per `per_seat` places, each place going to the nearest seat."""
    seat = np.empty(len(lat), dtype=np.int64)
    for a in np.unique(admin1):
        members = np.flatnonzero(admin1 == a)
        k = max(1, math.ceil(len(members) / per_seat))
        order = members[np.lexsort((members, -pop[members]))]
        seats = order[:k]
        near = _nearest(lat[members], lon[members], lat[seats], lon[seats])
        seat[members] = seats[near]
    return seat


def generate_places(n_places: int = 10_000, n_roads: int = 200, seed: int = 42) -> Places:
    """Real capitals and big towns plus synthetic towns and villages clustered around them,
    and `n_roads` multi-vertex roads joining the larger towns into one network."""
    if n_places < 2:
        raise ValueError("need at least 2 places")
    rng = _rng(seed, 1)
    cities = [(c, n, float(la), float(lo), int(p)) for c, n, la, lo, p in _rows(CITY_ROWS)]
    capital = next(c for c in cities if c[1] == CAPITAL)
    others = sorted((c for c in cities if c is not capital), key=lambda c: (-c[4], c[1]))
    real = [capital, *others][: min(len(cities), max(1, n_places // 3))]
    n_air = min(len(real), n_places // 100)
    n_syn = n_places - len(real) - n_air

    r_lat = np.array([c[2] for c in real])
    r_lon = np.array([c[3] for c in real])
    r_pop = np.array([c[4] for c in real], dtype=np.int64)
    r_cty = np.array([CODE_INDEX[c[0]] for c in real])
    w = np.sqrt(r_pop.astype(float))
    s_lat, s_lon = _sample_points(rng, n_syn, (r_lat, r_lon, w / w.sum()), 0.5)
    s_pop = np.clip(rng.lognormal(math.log(1800), 1.15, n_syn), 150, 400_000).astype(np.int64)
    # airports a few km from the largest real cities
    ang = rng.uniform(0, 2 * np.pi, n_air)
    dist = rng.uniform(4, 12, n_air)
    p_lat = r_lat[:n_air] + np.sin(ang) * dist / KM_LAT
    p_lon = r_lon[:n_air] + np.cos(ang) * dist / (KM_LON * np.cos(np.radians(r_lat[:n_air])))

    lat = np.concatenate([r_lat, s_lat, p_lat])
    lon = np.concatenate([r_lon, s_lon, p_lon])
    pop = np.concatenate([r_pop, s_pop, np.zeros(n_air, dtype=np.int64)])
    known = np.concatenate([r_cty, np.full(n_syn, -1), r_cty[:n_air]])
    admin1 = _assign_admin1(lat, lon, None)
    fixed = known >= 0
    admin1[fixed] = _assign_admin1(lat[fixed], lon[fixed], known[fixed])

    flavours = [ADMIN1[a].flavour for a in admin1]
    names = [c[1] for c in real]
    seen = {slug(n) for n in names}
    tries = 6  # unique names, so that places can be found by name without ambiguity
    drawn = _names(rng, [f for f in flavours[len(real) : len(real) + n_syn] for _ in range(tries)])
    for i in range(n_syn):
        options = drawn[i * tries : (i + 1) * tries]
        name = next((o for o in options if slug(o) not in seen), f"{options[0]} {i}")
        seen.add(slug(name))
        names.append(name)
    names += [f"{c[1]} Airport" for c in real[:n_air]]
    kinds = ["capital"] + ["city" if p >= 100_000 else "town" for p in r_pop[1:]]
    kinds += ["city" if p >= 100_000 else "town" if p >= 5000 else "village" for p in s_pop]
    kinds += ["airport"] * n_air
    ids = [slug(n) for n in names]

    seat2 = _admin_seats(lat, lon, pop, admin1, 40)
    seat3 = _admin_seats(lat, lon, pop, admin1, 6)
    admin2 = [names[s] for s in seat2]
    admin3 = [
        names[s] if COUNTRIES[ADMIN1[a].country].has_admin3 else ""
        for s, a in zip(seat3, admin1, strict=True)
    ]
    places = Places(ids, names, kinds, lat, lon, pop, admin1, admin2, admin3)
    places.roads = _roads(rng, places, n_roads)
    return places


def _roads(rng: np.random.Generator, pl_: Places, n_roads: int) -> list[Road]:
    """A minimum spanning tree over the largest towns (one connected network), plus the
    shortest remaining links, each drawn as a gently winding polyline."""
    if n_roads <= 0:
        return []
    cand = [i for i, k in enumerate(pl_.kinds) if k in ("capital", "city", "town")]
    cand.sort(key=lambda i: (-pl_.population[i], i))
    n_hubs = max(2, min(len(cand), n_roads * 4 // 5 + 1))
    # a quota per country (more where the conflict is), its largest towns first
    cty = pl_.country
    by_cty = {c: [i for i in cand if cty[i] == c] for c in range(len(COUNTRIES))}
    w = {c: math.sqrt(len(v) * COUNTRIES[c].share) for c, v in by_cty.items()}
    total = sum(w.values()) or 1.0
    quota = {c: max(1, round(n_hubs * w[c] / total)) if by_cty[c] else 0 for c in by_cty}
    chosen = [i for c, v in by_cty.items() for i in v[: quota[c]]]
    chosen += [i for i in cand if i not in set(chosen)][: max(0, n_hubs - len(chosen))]
    chosen.sort(key=lambda i: (-pl_.population[i], i))
    hubs = np.array(chosen[:n_hubs])
    if len(hubs) < 2:
        hubs = np.arange(min(len(pl_.ids), 2))
    h_lat, h_lon = pl_.lat[hubs], pl_.lon[hubs]
    d = _km(h_lat[:, None], h_lon[:, None], h_lat[None, :], h_lon[None, :])
    n = len(hubs)
    # Prim's algorithm, O(n^2) on a few hundred hubs
    in_tree = np.zeros(n, dtype=bool)
    in_tree[0] = True
    best = d[0].copy()
    parent = np.zeros(n, dtype=np.int64)
    edges: list[tuple[int, int]] = []
    for _ in range(n - 1):
        j = int(np.argmin(np.where(in_tree, np.inf, best)))
        edges.append((int(parent[j]), j))
        in_tree[j] = True
        closer = d[j] < best
        parent[closer] = j
        best = np.minimum(best, d[j])
    edges.sort(key=lambda e: d[e])
    edges = edges[:n_roads]
    have = {tuple(sorted(e)) for e in edges}
    iu, ju = np.triu_indices(n, 1)
    spread: set[int] = set()  # one extra link per town first, so they do not pile up
    for strict in (True, False):
        for k in np.lexsort((ju, iu, d[iu, ju])):
            if len(edges) >= n_roads:
                break
            e = (int(iu[k]), int(ju[k]))
            if e in have or (strict and (e[0] in spread or e[1] in spread)):
                continue
            have.add(e)
            edges.append(e)
            spread.update(e)

    roads = []
    numbers: dict[int, int] = {}
    edges.sort(key=lambda e: (-d[e], e))  # the longest roads get the low numbers
    used: set[str] = set()
    for ia, ib in edges:
        a, b = int(hubs[ia]), int(hubs[ib])
        cty = ADMIN1[pl_.admin1[a]].country
        numbers[cty] = numbers.get(cty, 0) + 1
        label = f"{COUNTRIES[cty].road_prefix}{numbers[cty]}"
        length = float(d[ia, ib])
        lat, lon = _polyline(rng, pl_.lat[a], pl_.lon[a], pl_.lat[b], pl_.lon[b], length)
        rid = slug(f"{label}-{pl_.names[a]}-{pl_.names[b]}")
        while rid in used:
            rid += "-2"
        used.add(rid)
        name = f"{label} {pl_.names[a]} – {pl_.names[b]}"
        roads.append(Road(rid, name, label, a, b, lat, lon, length))
    return roads


def _polyline(
    rng: np.random.Generator, la: float, loa: float, lb: float, lob: float, length: float
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices every ~12 km along the straight line, bent by a smooth random meander that is
    zero at both ends (so the road starts and ends exactly at its towns)."""
    nv = int(np.clip(length / 12, 1, 80)) + 1
    t = np.linspace(0, 1, nv)
    amp = min(0.07 * length, 25.0)
    bend = np.zeros(nv)
    for j in (1, 2, 3):
        bend += rng.uniform(-1, 1) / j * np.sin(j * np.pi * t + rng.uniform(0, 2 * np.pi))
    bend *= amp * np.sin(np.pi * t)
    coslat = math.cos(math.radians((la + lb) / 2))
    dx, dy = (lob - loa) * KM_LON * coslat, (lb - la) * KM_LAT
    norm = math.hypot(dx, dy) or 1.0
    px, py = -dy / norm, dx / norm  # unit normal, km space
    lat = la + t * (lb - la) + bend * py / KM_LAT
    lon = loa + t * (lob - loa) + bend * px / (KM_LON * coslat)
    lat[0], lon[0], lat[-1], lon[-1] = la, loa, lb, lob
    return lat, lon


def write_places(places: Places, path: Path) -> Path:
    """The places GeoJSON the project reads: one feature per line, stable key order."""
    feats = places.features()
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats)
    path.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", "utf-8")
    return path


# --- actors -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Actor:
    name: str
    short: str  # as the subject of a note: "JNIM militants"
    org: str  # as an organisation: "JNIM"
    inter: str


INTER_ORDER = (
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
    "Protesters", "Civilians", "External/Other forces",
)  # fmt: skip
# ACLED renames state forces with each government: (first day, label); the first has no start.
STATE_ERAS = {
    "ML": (("", "2013-2020"), ("2020-08-19", "2020-2021"), ("2021-05-25", "2021-")),
    "BF": (("", "2015-2022"), ("2022-01-24", "2022-")),
    "NE": (("", "2011-2021"), ("2021-04-02", "2021-2023"), ("2023-07-26", "2023-")),
    "NG": (("", "2015-2023"), ("2023-05-29", "2023-")),
    "SN": (("", "2012-2024"), ("2024-04-02", "2024-")),
    "MR": (("", "2009-2019"), ("2019-08-01", "2019-")),
    "GN": (("", "2010-2021"), ("2021-09-05", "2021-")),
    "CI": (("", "2011-"),),
    "GH": (("", "2017-2025"), ("2025-01-07", "2025-")),
    "TG": (("", "2005-"),),
    "BJ": (("", "2016-"),),
    "SL": (("", "2007-2018"), ("2018-04-04", "2018-")),
    "LR": (("", "2018-2024"), ("2024-01-22", "2024-")),
    "GW": (("", "2014-2020"), ("2020-02-27", "2020-")),
    "GM": (("", "2017-"),),
}
JNIM = Actor("JNIM: Group for Support of Islam and Muslims", "JNIM militants", "JNIM",
             "Rebel group")  # fmt: skip
ISSP = Actor("Islamic State Sahel Province", "IS Sahel militants", "IS Sahel", "Rebel group")
ISGS = Actor("Islamic State (Greater Sahara)", "ISGS militants", "ISGS", "Rebel group")
ISWAP = Actor("Islamic State West Africa Province", "ISWAP militants", "ISWAP", "Rebel group")
JAS = Actor(
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
    "Boko Haram (JAS) militants",
    "Boko Haram",
    "Rebel group",
)
ANSAR_DINE = Actor("Ansar Dine", "Ansar Dine militants", "Ansar Dine", "Rebel group")
ANSAROUL = Actor("Ansaroul Islam", "Ansaroul Islam militants", "Ansaroul Islam", "Rebel group")
FLA = Actor("FLA: Azawad Liberation Front", "FLA rebels", "the FLA", "Rebel group")
CSP = Actor("CSP-DPA: Strategic Framework for the Defense of the People of Azawad",
            "CSP-DPA rebels", "the CSP-DPA", "Rebel group")  # fmt: skip
CMA = Actor("CMA: Coordination of Azawad Movements", "CMA rebels", "the CMA", "Rebel group")
IS_ERAS = (("", ISGS), ("2022-03-21", ISSP))
MILITIAS = {
    "ML": (
        (0.45, Actor("Dozo Militia", "Dozo hunters", "the Dozo militia", "Identity militia")),
        (0.35, Actor("Dan Na Ambassagou", "Dan Na Ambassagou militiamen", "Dan Na Ambassagou",
                     "Identity militia")),
        (0.2, Actor("GATIA: Imghad Tuareg and Allies Self-Defense Group", "GATIA fighters",
                    "GATIA", "Political militia")),
    ),
    "BF": (
        (0.6, Actor("VDP: Volunteers for the Defense of the Homeland", "VDP volunteers",
                    "the VDP", "Political militia")),
        (0.4, Actor("Koglweogo Militia", "Koglweogo militiamen", "the Koglweogo",
                    "Identity militia")),
    ),
    "NG": (
        (0.4, Actor("Fulani Ethnic Militia (Nigeria)", "Fulani militiamen", "a Fulani militia",
                    "Identity militia")),
        (0.2, Actor("Civilian JTF", "CJTF members", "the CJTF", "Political militia")),
        (0.2, Actor("Vigilante Militia (Nigeria)", "vigilantes", "a vigilante group",
                    "Political militia")),
        (0.2, Actor("Tiv Ethnic Militia (Nigeria)", "Tiv militiamen", "a Tiv militia",
                    "Identity militia")),
    ),
}  # fmt: skip
FOREIGN = (
    (0.35, "China", "Chinese"), (0.1, "India", "Indian"), (0.08, "Turkey", "Turkish"),
    (0.06, "Morocco", "Moroccan"), (0.05, "Egypt", "Egyptian"), (0.06, "Italy", "Italian"),
    (0.05, "Austria", "Austrian"), (0.05, "Germany", "German"), (0.04, "Romania", "Romanian"),
    (0.05, "South Africa", "South African"), (0.05, "Russia", "Russian"),
    (0.03, "Spain", "Spanish"), (0.03, "Lebanon", "Lebanese"),
)  # fmt: skip
ETHNIC = {
    "ML": ("Fulani", "Dogon", "Bambara", "Tuareg"),
    "BF": ("Fulani", "Mossi"),
    "NE": ("Fulani", "Tuareg", "Hausa", "Djerma"),
    "NG": ("Fulani", "Hausa", "Tiv", "Igbo", "Yoruba"),
}
VICTIM_GROUPS = (
    "Farmers", "Herders", "Women", "Traders", "Health Workers", "Teachers", "Students",
    "Local Administrators", "Miners", "Muslim Group", "Christian Group",
)  # fmt: skip
# protest crowds: the words in the notes and the associated actor ACLED codes for them
WHO = (
    ("residents", ""), ("traders", "Traders"), ("students", "Students"), ("women", "Women"),
    ("young people", ""), ("teachers", "Teachers"), ("motorcycle taxi drivers", "Taxi/Bus Drivers"),
    ("supporters of the opposition", ""), ("health workers", "Health Workers"),
    ("artisanal miners", "Miners"), ("farmers", "Farmers"), ("displaced people", "Refugees/IDPs"),
    ("lawyers", "Lawyers"), ("journalists", "Journalists"), ("trade unionists", "Labour Group"),
)  # fmt: skip


@dataclass
class ActorBook:
    """Every actor and associated actor as one table; events hold indices into it."""

    actors: list[Actor] = field(default_factory=lambda: [Actor("", "", "", "")])
    index: dict[Actor, int] = field(default_factory=dict)
    # (role, country, admin1 or -1) -> [(weight, [(first day ordinal, actor index)])]
    pools: dict[tuple[str, int, int], list[tuple[float, list[tuple[int, int]]]]] = field(
        default_factory=dict
    )
    assoc: list[str] = field(default_factory=lambda: [""])
    assoc_index: dict[str, int] = field(default_factory=dict)

    def id(self, actor: Actor) -> int:
        if actor not in self.index:
            self.index[actor] = len(self.actors)
            self.actors.append(actor)
        return self.index[actor]

    def assoc_id(self, name: str) -> int:
        if not name:
            return 0
        if name not in self.assoc_index:
            self.assoc_index[name] = len(self.assoc)
            self.assoc.append(name)
        return self.assoc_index[name]

    def add(
        self, role: str, cty: int, adm: int, weight: float, eras: tuple[tuple[str, Actor], ...]
    ) -> None:
        era = [(date.fromisoformat(s).toordinal() if s else 0, self.id(a)) for s, a in eras]
        self.pools.setdefault((role, cty, adm), []).append((weight, era))


def _actor_book() -> ActorBook:
    book = ActorBook()
    for ci, c in enumerate(COUNTRIES):
        eras = STATE_ERAS[c.code]
        mil = tuple(
            (s, Actor(f"Military Forces of {c.name} ({lab})", f"{c.demonym} soldiers",
                      f"the {c.demonym} army", "State forces"))
            for s, lab in eras
        )  # fmt: skip
        pol = tuple(
            (s, Actor(f"Police Forces of {c.name} ({lab})", f"{c.demonym} police officers",
                      f"the {c.demonym} police", "State forces"))
            for s, lab in eras
        )  # fmt: skip
        book.add("state", ci, -1, 1.0, mil)
        book.add("police", ci, -1, 1.0, pol)
        gunmen = "armed bandits" if c.code == "NG" else "unidentified gunmen"
        armed = Actor(f"Unidentified Armed Group ({c.name})", gunmen,
                      "an unidentified armed group", "Political militia")  # fmt: skip
        book.add("armed", ci, -1, 1.0, (("", armed),))
        for role in ("civilians", "protesters", "rioters"):
            label = role.title()  # "Civilians (Mali)": ACLED's actor and its type share a word
            book.add(role, ci, -1, 1.0, (("", Actor(f"{label} ({c.name})", role, role, label)),))
        militias = MILITIAS.get(c.code) or (
            (1.0, Actor(f"Communal Militia ({c.name})", "communal militiamen",
                        "a communal militia", "Identity militia")),
        )  # fmt: skip
        for w, a in militias:
            book.add("militia", ci, -1, w, (("", a),))
    ml, bf, ne = CODE_INDEX["ML"], CODE_INDEX["BF"], CODE_INDEX["NE"]
    book.add("jihadist", ml, -1, 0.7, (("", ANSAR_DINE), ("2017-03-02", JNIM)))
    book.add("jihadist", ml, -1, 0.3, IS_ERAS)
    book.add("jihadist", bf, -1, 0.7, (("", ANSAROUL), ("2017-03-02", JNIM)))
    book.add("jihadist", bf, -1, 0.3, IS_ERAS)
    book.add("jihadist", ne, -1, 0.6, IS_ERAS)
    book.add("jihadist", ne, -1, 0.4, (("", JNIM),))
    for ai, a in enumerate(ADMIN1):
        code = COUNTRIES[a.country].code
        if (code == "NE" and a.name == "Diffa") or (code == "NG" and a.name in JIHADIST_NIGERIA):
            book.add("jihadist", a.country, ai, 0.55, (("", ISWAP),))
            book.add("jihadist", a.country, ai, 0.45, (("", JAS),))
        elif code == "ML" and a.name in MALI_NORTH:  # the Azawad rebels, as ACLED renames them
            book.add("jihadist", a.country, ai, 0.55, (("", ANSAR_DINE), ("2017-03-02", JNIM)))
            book.add("jihadist", a.country, ai, 0.3, IS_ERAS)
            rebels = (("", CMA), ("2023-09-01", CSP), ("2024-12-01", FLA))
            book.add("jihadist", a.country, ai, 0.15, rebels)
        elif (code, a.name) in NORTH_COAST:
            book.add("jihadist", a.country, ai, 0.8, (("", JNIM),))
            book.add("jihadist", a.country, ai, 0.2, (("", ISSP),))
    for w, country, adj in FOREIGN:
        foreign = Actor(f"Civilians ({country})", f"{adj} nationals", adj, "Civilians")
        book.add("foreign", -1, -1, w, (("", foreign),))
    return book


FALLBACK = {"jihadist": "armed", "militia": "armed"}


def _pick_actors(
    rng: np.random.Generator,
    book: ActorBook,
    role: np.ndarray,
    roles: list[str],
    country: np.ndarray,
    admin1: np.ndarray,
    day: np.ndarray,
) -> np.ndarray:
    """Actor index per event from its role, country, admin1 and date (eras), vectorised per
    group of events sharing a pool."""
    out = np.zeros(len(role), dtype=np.int64)
    ordinal = day
    key = (role * 100 + country) * 1000 + admin1  # one integer per pool: a cheap sort
    order = np.argsort(key, kind="stable")
    ks = key[order]
    cuts = np.r_[0, np.flatnonzero(np.diff(ks)) + 1, len(ks)]
    for s, e in itertools.pairwise(cuts):
        rows = order[s:e]
        r, c, a = role[rows[0]], country[rows[0]], admin1[rows[0]]
        name = roles[r]
        if name == "none":
            continue
        pool = None
        while pool is None:
            pool = (
                book.pools.get((name, int(c), int(a)))
                or book.pools.get((name, int(c), -1))
                or book.pools.get((name, -1, -1))
            )
            if pool is None:
                name = FALLBACK.get(name, "armed")
        w = np.array([p[0] for p in pool])
        pick = rng.choice(len(pool), len(rows), p=w / w.sum())
        for k, (_, eras) in enumerate(pool):
            sel = rows[pick == k]
            starts = np.array([e[0] for e in eras])
            ids = np.array([e[1] for e in eras])
            out[sel] = ids[np.searchsorted(starts, ordinal[sel], side="right") - 1]
    return out


# --- scenarios: how each kind of event is coded and written up -------------------------------
@dataclass(frozen=True)
class Scenario:
    key: str
    disorder: str
    event_type: str
    sub_event: str
    actor1: tuple[tuple[str, float], ...]
    actor2: tuple[tuple[str, float], ...]
    victims: tuple[str, str] | None  # (one, many) for the casualty sentence
    fatal: tuple[float, float]  # (share with no fatality, mean when there are some)
    texts: tuple[str, ...]
    extras: tuple[str, ...] = ()


PV, DEM, SD = "Political violence", "Demonstrations", "Strategic developments"
BAT, EXP, VAC = "Battles", "Explosions/Remote violence", "Violence against civilians"
J, ARMED, ST = (("jihadist", 1.0),), (("armed", 1.0),), (("state", 1.0),)
J_OR_ARMED = (("jihadist", 0.65), ("armed", 0.35))
CIV = (("civilians", 1.0),)
NONE = (("none", 1.0),)
POST_EXTRAS = (
    "The assailants withdrew after several hours of fighting, taking weapons and vehicles.",
    "Soldiers withdrew from the post after the attack and regrouped in {admin2}.",
    "The army said it repelled the attack with air support.",
    "The group claimed the attack on its propaganda channels.",
    "Several assailants were also killed according to the army.",
    "The assailants, who came on motorbikes and in pick-up trucks, burnt the remaining vehicles "
    "and looted the food stocks before leaving.",
    "Reinforcements sent from {admin2} were delayed by explosive devices planted on the access "
    "tracks.",
)
CLAIM = "The attack was claimed by {A1org} in a statement released on its channels the next day."
GENERIC = (
    "According to local sources, the assailants arrived on dozens of motorbikes and left before "
    "reinforcements could reach the area.",
    "The information could not be independently verified, and communication networks in the "
    "area have been cut for several days.",
    "Reports differ on the number of casualties; the lowest reported figure is coded.",
    "Residents fled towards {admin2}, where displaced families are hosted by relatives and in "
    "schools.",
    "The area has seen repeated incidents in recent months, and several villages have been "
    "emptied of their inhabitants.",
    "Local officials confirmed the incident but gave no details on the identity of the "
    "perpetrators.",
)
SCENARIOS = (
    Scenario("ambush_road", PV, BAT, "Armed clash", J, ST, ("soldier", "soldiers"), (0.35, 5), (
        "{on} {A1} ambushed a {convoy} of {A2} on the {road} between {from} and {to}, "
        "near {where}.",
        "{on} {A1} attacked a {convoy} of {A2} with {weapon} on the {road} near {where}, on the "
        "axis linking {from} to {to}.",
        "{on} {A1} ambushed {A2} escorting trucks loaded with {goods} near {where} on the {road}.",
    ), (
        "The convoy was travelling from {from} to {to}.",
        "Several vehicles were burnt and the assailants seized weapons and motorbikes.",
        "Reinforcements arrived after the assailants had left the area.",
        "Traffic on the {road} was suspended for two days.",
        CLAIM,
        *GENERIC,
    )),
    Scenario("ambush_patrol", PV, BAT, "Armed clash", J, ST, ("soldier", "soldiers"), (0.4, 4), (
        "{on} {A1} ambushed a patrol of {A2} near {where}.",
        "{on} {A1} ambushed {A2} returning from an operation near {where}.",
        "{on} {A1} laid an ambush for {A2} on a track near {where}.",
    ), (
        "The patrol lost a {vehicle} and several motorbikes.",
        "The army said several assailants were neutralised.",
        CLAIM,
        *GENERIC,
    )),
    Scenario("ied_road", PV, EXP, "Remote explosive/landmine/IED", J_OR_ARMED, ST,
             ("soldier", "soldiers"), (0.45, 3), (
        "{on} a {vehicle} carrying {A2} struck an improvised explosive device on the {road} "
        "between {from} and {to}, near {where}.",
        "{on} an IED attributed to {A1} exploded under a {vehicle} carrying {A2} on the road "
        "between {from} and {to} near {where}.",
        "{on} a {vehicle} of {A2} hit a landmine planted by {A1} on the {road} near {where}.",
    ), (
        "The vehicle was part of a convoy heading to {to}.",
        "A second device was found and defused nearby.",
        *GENERIC,
    )),
    Scenario("ied_other", PV, EXP, "Remote explosive/landmine/IED", J_OR_ARMED, ST,
             ("soldier", "soldiers"), (0.5, 3), (
        "{on} a patrol of {A2} struck an explosive device near {where}.",
        "{on} {A1} detonated an IED as {A2} were clearing the area around {where}.",
    ), ("The explosion destroyed a {vehicle}.", *GENERIC)),
    Scenario("attack_travellers", PV, VAC, "Attack", J_OR_ARMED, CIV, ("passenger", "passengers"),
             (0.3, 4), (
        "{on} {A1} stopped a bus travelling from {from} to {to} near {where} and shot at "
        "passengers.",
        "{on} {A1} attacked travellers on the {road} near {where} and burnt their vehicles.",
        "{on} {A1} opened fire on a minibus on the road between {from} and {to} near {where}.",
        "{on} {A1} killed truck drivers on the {road} near {where}.",
    ), (
        "The passengers were robbed of their money and phones.",
        "The victims were accused of collaborating with the authorities.",
        *GENERIC,
    )),
    Scenario("tankers", SD, SD, "Looting/property destruction", J, NONE, ("driver", "drivers"),
             (0.8, 2), (
        "{on} {A1} set fire to {n} fuel tankers on the {road} near {where}, enforcing the "
        "blockade on fuel supplies.",
        "{on} {A1} intercepted trucks carrying {goods} between {from} and {to} near {where} and "
        "burnt the vehicles.",
        "{on} {A1} burnt {n} trucks transporting {goods} on the {road} near {where}.",
    ), (
        "The drivers were released after being questioned.",
        "The convoy had left the border without a military escort.",
        "Fuel prices rose sharply in {admin2} in the following days.",
    )),
    Scenario("blockade", SD, SD, "Other", J, NONE, None, (1.0, 1), (
        "{on} {A1} announced a blockade of {loc} and the surrounding villages, forbidding "
        "traders and transporters from entering the town.",
        "{on} {A1} imposed a blockade on the roads linking {where} to the rest of the region, "
        "banning the movement of {goods}.",
        "{on} {A1} declared an embargo on fuel and food deliveries to {where}.",
    ), (
        "Residents reported shortages of food and fuel.",
        "Transporters suspended trips to the town.",
        "The group accuses residents of cooperating with the army.",
    )),
    Scenario("clash", PV, BAT, "Armed clash", ST, J, ("person", "people"), (0.4, 5), (
        "{on} {A1} clashed with {A2} near {where}.",
        "{on} {A1} and {A2} exchanged fire in {where} during a security operation.",
        "{on} {A1} on patrol engaged {A2} near {where}.",
    ), (
        "The army said it neutralised several militants and recovered motorbikes and weapons.",
        "Air support was called in during the fighting.",
        "Troops withdrew to their base in {admin2} after the clashes.",
        *GENERIC,
    )),
    Scenario("militia_clash", PV, BAT, "Armed clash", J, (("militia", 1.0),),
             ("person", "people"), (0.35, 4), (
        "{on} {A1} clashed with {A2} in {where}.",
        "{on} {A2} repelled an incursion by {A1} into {where}.",
    ), (
        "The assailants withdrew towards the bush after the clashes.",
        "Several houses were burnt during the fighting.",
        *GENERIC,
    )),
    Scenario("attack_post", PV, BAT, "Armed clash", J, ST, ("soldier", "soldiers"), (0.3, 7), (
        "{on} {A1} attacked the {post} in {where}.",
        "{on} {A1} launched a complex attack against the {post} of {loc} ({admin1}), using "
        "heavy weapons and motorbikes.",
        "{on} heavily armed {A1} stormed a {post} near {where}.",
    ), (*POST_EXTRAS, CLAIM)),
    Scenario("seizure", PV, BAT, "Non-state actor overtakes territory", J, ST,
             ("soldier", "soldiers"), (0.4, 6), (
        "{on} {A1} took control of {where} after overrunning the {post} held by {A2}.",
        "{on} {A1} seized {loc} ({admin2}, {admin1}) following clashes with {A2}, who "
        "retreated from the town.",
        "{on} {A1} entered {where} and hoisted their flag over the town hall after the "
        "departure of {A2}.",
    ), (
        "Residents reported that the fighters looted shops and the health centre.",
        "The group claimed to control the town.",
        "Soldiers and local officials had left the town in the days before the attack.",
        CLAIM,
    )),
    Scenario("regain", PV, BAT, "Government regains territory", ST, J, ("person", "people"),
             (0.5, 4), (
        "{on} {A1} retook control of {where} from {A2}.",
        "{on} {A1}, supported by air assets, recaptured {where}, which had been held by {A2}.",
    ), ("The army said it had restored state authority in the area.", *GENERIC)),
    Scenario("withdrawal", SD, SD, "Non-violent transfer of territory", J, NONE, None, (1.0, 1), (
        "{on} {A1} withdrew from {where}, which they had seized a few days earlier, after "
        "looting the town.",
        "{on} {A1} pulled out of {where}, taking vehicles and weapons with them.",
        "{on} {A1} left the town of {loc} ({admin1}) and retreated towards the bush.",
    ), ("Residents who had fled began to return.",)),
    Scenario("hq", SD, SD, "Headquarters or base established", J, NONE, None, (1.0, 1), (
        "{on} {A1} set up a base in {where}.",
        "{on} {A1} established an Islamic court in {where} and appointed a cadi to settle "
        "disputes.",
        "{on} {A1} installed a headquarters in the former town hall of {where}.",
    ), ("The group also announced the appointment of local emirs.",)),
    Scenario("zakat", SD, SD, "Other", J, NONE, None, (1.0, 1), (
        "{on} {A1} collected zakat from herders and farmers in {where} and surrounding "
        "villages.",
        "{on} {A1} imposed sharia rules on residents of {where}, including a dress code for "
        "women.",
        "{on} {A1} levied taxes on livestock owners in {where}.",
        "{on} {A1} gathered residents of {where} for a sermon and demanded the payment of zakat.",
    ), ("Residents who refused were threatened.", *GENERIC[:2])),
    Scenario("looting", SD, SD, "Looting/property destruction", J_OR_ARMED, NONE, None,
             (1.0, 1), (
        "{on} {A1} looted shops and stole livestock in {where}.",
        "{on} {A1} burnt the town hall and a health centre in {where}.",
        "{on} {A1} destroyed a telecommunications mast in {where}.",
        "{on} {A1} stole {n} head of cattle from herders near {where}.",
    ), GENERIC),
    Scenario("vac_attack", PV, VAC, "Attack",
             (("jihadist", 0.45), ("armed", 0.3), ("militia", 0.15), ("state", 0.1)), CIV,
             ("civilian", "civilians"), (0.25, 6), (
        "{on} {A1} attacked the village of {loc} ({admin2}, {admin1}).",
        "{on} {A1} raided {where} on motorbikes and shot at residents.",
        "{on} {A1} executed civilians accused of collaborating with the army in {where}.",
        "{on} {A1} killed a village chief in {where}.",
    ), (
        "Houses and granaries were set on fire.",
        "Survivors fled to nearby towns.",
        "Livestock was stolen.",
        "Women and children were among the victims.",
        *GENERIC,
    )),
    Scenario("kidnap_national", PV, VAC, "Abduction/forced disappearance", J_OR_ARMED, CIV,
             ("civilian", "civilians"), (0.92, 2), (
        "{on} {A1} abducted {n} civilians, including a village chief, in {where}.",
        "{on} {A1} kidnapped {n} residents of {where}.",
        "{on} {A1} abducted a local councillor near {where}.",
    ), (
        "A ransom was demanded for their release.",
        "Their whereabouts remain unknown.",
        "The victims were accused of refusing to pay zakat.",
        *GENERIC,
    )),
    Scenario("kidnap_road", PV, VAC, "Abduction/forced disappearance", J_OR_ARMED, CIV,
             ("passenger", "passengers"), (0.9, 2), (
        "{on} {A1} abducted {n} passengers from a bus on the road between {from} and {to}, "
        "near {where}.",
        "{on} {A1} kidnapped {n} travellers on the {road} near {where}.",
    ), ("A ransom was demanded for their release.", *GENERIC)),
    Scenario("kidnap_foreign", PV, VAC, "Abduction/forced disappearance", J_OR_ARMED,
             (("foreign", 1.0),), ("worker", "workers"), (0.95, 1), (
        "{on} {A1} abducted {n} {A2org} nationals working at a gold mine near {where}.",
        "{on} {A1} kidnapped a {A2org} national in {where}.",
        "{on} {A1} abducted {n} {A2org} workers of a road construction company near {where}.",
    ), ("Their driver was released.", "The embassy confirmed the abduction.", *GENERIC[:2])),
    Scenario("kidnap_aid", PV, VAC, "Abduction/forced disappearance", J_OR_ARMED, CIV,
             ("aid worker", "aid workers"), (0.9, 1), (
        "{on} {A1} abducted {n} aid workers of an international NGO near {where}.",
        "{on} {A1} kidnapped a humanitarian worker in {where}.",
        "{on} {A1} abducted {n} staff of a local NGO travelling near {where}.",
    ), ("The organisation suspended its activities in the area.", *GENERIC[:2])),
    Scenario("drone", PV, EXP, "Air/drone strike", ST, J, ("person", "people"), (0.3, 8), (
        "{on} drones of {A1org} struck a position of {A2org} near {where}.",
        "{on} an air strike by {A1org} targeted {A2} gathered near {where}.",
        "{on} {A1org} carried out drone strikes on suspected hideouts of {A2org} around {where}.",
    ), (
        "The army said dozens of militants were killed; local sources reported civilian "
        "casualties.",
        "Motorbikes and a logistics depot were destroyed.",
        *GENERIC[1:4],
    )),
    Scenario("suicide", PV, EXP, "Suicide bomb", J, CIV, ("person", "people"), (0.2, 9), (
        "{on} a suicide bomber attributed to {A1org} detonated explosives at a market in {where}.",
        "{on} {A1} used a vehicle-borne suicide device against the military base in {where}.",
    ), GENERIC),
    Scenario("shelling", PV, EXP, "Shelling/artillery/missile attack", J, ST,
             ("person", "people"), (0.7, 2), (
        "{on} {A1} fired mortar shells at the military camp in {where}.",
        "{on} {A1} shelled {where}, hitting several houses.",
    ), GENERIC),
    Scenario("protest", DEM, "Protests", "Peaceful protest", (("protesters", 1.0),), NONE, None,
             (1.0, 1), (
        "{on} {who} held a demonstration in {where} against {issue}.",
        "{on} {who} protested in {where} to denounce {issue}.",
        "{on} {who} marched in {where} to demand a response to {issue}.",
        "{on} {who} staged a sit-in in front of the governorate in {where} over {issue}.",
    ), (
        "The protest ended peacefully.",
        "Organisers announced further demonstrations.",
        "Shops remained closed for the day.",
        "Security forces were deployed but did not intervene.",
    )),
    Scenario("protest_intervention", DEM, "Protests", "Protest with intervention",
             (("protesters", 1.0),), (("police", 1.0),), None, (1.0, 1), (
        "{on} {who} protested in {where} over {issue}; {A2} dispersed them with tear gas.",
        "{on} {A2} broke up a demonstration by {who} in {where} against {issue} and arrested "
        "several people.",
    ), ("Several protesters were injured.", "The organisers were detained for questioning.")),
    Scenario("excessive_force", "Political violence; Demonstrations", "Protests",
             "Excessive force against protesters", (("police", 1.0),), (("protesters", 1.0),),
             ("protester", "protesters"), (0.3, 2), (
        "{on} {A1} opened fire on {who} protesting in {where} against {issue}.",
    ), ("Several protesters were wounded.", *GENERIC[:3])),
    Scenario("riot", DEM, "Riots", "Violent demonstration", (("rioters", 1.0),), NONE,
             ("person", "people"), (0.97, 1), (
        "{on} {who} rioted in {where}, burning tyres and barricading streets, in protest "
        "against {issue}.",
        "{on} angry {who} set fire to the police station in {where} over {issue}.",
    ), ("Police fired tear gas to disperse the crowd.", "Several shops were looted.")),
    Scenario("mob", PV, "Riots", "Mob violence", (("rioters", 1.0),), CIV, ("person", "people"),
             (0.5, 1), (
        "{on} a mob lynched a suspected thief in {where}.",
        "{on} residents of {where} attacked a man accused of witchcraft.",
    ), GENERIC[:3]),
    Scenario("arrests", SD, SD, "Arrests", (("police", 1.0),), J, None, (1.0, 1), (
        "{on} {A1} arrested {n} suspected members of {A2org} in {where}.",
        "{on} {A1} arrested {n} people suspected of supplying fuel to {A2org} near {where}.",
    ), ("The suspects were handed over to the judicial authorities.",)),
    Scenario("other_sd", SD, SD, "Other", J, NONE, None, (1.0, 1), (
        "{on} {A1} distributed leaflets in {where} warning residents against cooperating with "
        "the army.",
        "{on} {A1} preached in the mosque of {where} and ordered residents to close bars.",
        "{on} {A1} released {n} hostages abducted earlier near {where}.",
    ), GENERIC[:2]),
    Scenario("agreement", SD, SD, "Agreement", J, NONE, None, (1.0, 1), (
        "{on} community leaders in {where} concluded a local truce with {A1org}, allowing "
        "farmers to access their fields.",
    ), GENERIC[:2]),
)  # fmt: skip
SCENARIO_INDEX = {s.key: i for i, s in enumerate(SCENARIOS)}
ROAD_SLOTS = {"road", "from", "to"}
ROAD_SCENARIOS = {"ambush_road", "ied_road", "attack_travellers", "tankers", "kidnap_road"}
# Scenario mix per group of admin1 and per kind of site (weights).
MIX = {
    "sahel": {
        "rural": dict(clash=12, ambush_patrol=4, militia_clash=4, attack_post=7, seizure=0.35,
                      regain=0.15, hq=0.3, zakat=0.8, blockade=0.5, looting=4, vac_attack=16,
                      kidnap_national=7, kidnap_foreign=0.12, kidnap_aid=0.35, drone=6,
                      ied_other=3, shelling=0.8, suicide=0.2, protest=3, riot=1, arrests=2,
                      agreement=0.3, other_sd=1.2),
        "road": dict(ambush_road=20, ied_road=12, attack_travellers=8, tankers=3, blockade=1,
                     kidnap_road=6, kidnap_foreign=0.2, clash=6, looting=3, vac_attack=4,
                     zakat=0.4),
        "urban": dict(protest=30, protest_intervention=4, excessive_force=1, riot=8, arrests=10,
                      clash=1.5, attack_post=1, vac_attack=4, kidnap_national=3, other_sd=2,
                      drone=0.2, agreement=0.5, mob=2, suicide=0.05),
    },
    "nigeria": {
        "rural": dict(vac_attack=18, kidnap_national=14, clash=10, attack_post=4, ied_other=2,
                      suicide=1.2, drone=3, seizure=0.12, regain=0.1, hq=0.1, zakat=0.3,
                      militia_clash=6, looting=5, protest=6, riot=3, arrests=3, mob=2,
                      kidnap_aid=0.2, kidnap_foreign=0.05),
        "road": dict(ambush_road=8, attack_travellers=14, kidnap_road=14, ied_road=2, looting=2,
                     clash=3, vac_attack=4),
        "urban": dict(protest=40, protest_intervention=6, excessive_force=2, riot=10, mob=5,
                      arrests=8, vac_attack=6, kidnap_national=3, clash=3, other_sd=1),
    },
    "coastal_north": {
        "rural": dict(attack_post=6, clash=6, ied_other=4, vac_attack=8, kidnap_national=4,
                      protest=10, riot=5, arrests=4, looting=2, militia_clash=1, zakat=0.5),
        "road": dict(ambush_road=5, ied_road=5, attack_travellers=3, kidnap_road=3, protest=2),
        "urban": dict(protest=40, riot=12, arrests=8, mob=5, other_sd=1,
                      protest_intervention=4),
    },
    "coastal": {
        "rural": dict(protest=25, riot=15, mob=8, vac_attack=10, militia_clash=8, arrests=5,
                      kidnap_national=1, protest_intervention=3),
        "road": dict(protest=10, riot=8, attack_travellers=3, vac_attack=3),
        "urban": dict(protest=45, riot=15, arrests=8, mob=6, vac_attack=4,
                      protest_intervention=5, excessive_force=1),
    },
}  # fmt: skip
SURGE = dict(tankers=5, ambush_road=3, blockade=2)  # Mali's roads since the 2025 fuel blockade
SURGE_DAYS, SURGE_SHARE = 80, 0.35
VOCAB = {
    "n": ("two", "three", "four", "five", "six", "seven", "several", "about ten", "a dozen"),
    "convoy": ("convoy", "supply convoy", "logistics convoy", "convoy escorting fuel tankers",
               "convoy escorting commercial trucks"),
    "goods": ("fuel", "food", "cereals", "cement", "livestock", "merchandise"),
    "vehicle": ("vehicle", "pick-up truck", "armoured vehicle", "patrol vehicle", "truck"),
    "post": ("military post", "gendarmerie post", "army camp", "military base",
             "police station", "customs post", "checkpoint", "forward operating base"),
    "weapon": ("small arms", "heavy machine guns", "rocket-propelled grenades", "mortars"),
    "issue": ("fuel shortages", "repeated power cuts", "the rising cost of living",
              "insecurity in the area", "the arrest of a local leader",
              "the closure of a gold mine", "unpaid salaries", "the dissolution of political "
              "parties", "poor road conditions", "the killing of a young man by the police",
              "water shortages", "the results of the elections", "land grabbing",
              "the suspension of a radio station", "school closures"),
    "who": tuple(w for w, _ in WHO),
}  # fmt: skip
SOURCES = {
    "ML": "Studio Tamani;Malijet;aBamako;Mali Actu;Menastream;Wamaps;Kibaru;FAMa",
    "BF": "Lefaso.net;Burkina24;Sidwaya;AIB;Omega Medias;Menastream;Wamaps;Burkina Faso Army",
    "NE": "ActuNiger;Air Info;Niger Inter;Studio Kalangou;Tamtaminfo;Wamaps;Le Sahel",
    "NG": "Premium Times (Nigeria);Daily Trust (Nigeria);Punch (Nigeria);Vanguard (Nigeria);"
    "The Guardian (Nigeria);Sahara Reporters;HumAngle;Channels TV;Zagazola Makama;"
    "Leadership (Nigeria);Nigeria Watch",
    "SN": "Seneweb;Dakaractu;APS;Le Quotidien (Senegal)",
    "MR": "Cridem;Alakhbar;Sahara Medias",
    "GN": "Guineenews;Africaguinee;Mosaique Guinee",
    "CI": "Fraternite Matin;Koaci;Abidjan.net",
    "GH": "Ghana Web;Joy Online;Graphic Online;Citi Newsroom",
    "TG": "Republicoftogo.com;Icilome;Togo Breaking News",
    "BJ": "La Nouvelle Tribune;Banouto;24 Heures au Benin",
    "SL": "Awoko;Sierraloaded;Sierra Leone Telegraph",
    "LR": "Front Page Africa;Liberian Observer;New Dawn (Liberia)",
    "GW": "O Democrata;e-Global",
    "GM": "The Point (Gambia);Foroyaa;The Standard (Gambia)",
}
SHARED_SOURCES = "AFP;Reuters;RFI;Le Monde;Jeune Afrique;BBC News;Twitter;Facebook;ACLED partner"
SOURCE_SCALES = (
    ("National", 0.3), ("Subnational", 0.12), ("New media", 0.12), ("International", 0.1),
    ("National-International", 0.1), ("Local partner-National", 0.06),
    ("New media-National", 0.06), ("Other", 0.04), ("Local partner-Other", 0.05),
    ("Subnational-National", 0.05),
)  # fmt: skip
CROWDS = (
    ("crowd size=no report", 0.55), ("crowd size=dozens", 0.15), ("crowd size=around 100", 0.1),
    ("crowd size=hundreds", 0.12), ("crowd size=around 1000", 0.05),
    ("crowd size=several thousand", 0.03),
)  # fmt: skip
ZERO_CASUALTIES = (
    "No fatalities were reported.",
    "Casualties unknown.",
    "There were no reported casualties.",
    "No casualties were reported.",
)
# site kinds of the location pool
TOWN, HAMLET, ROADSIDE, NOISE, CENTROID = range(5)
SITE_SHARES = np.array([0.25, 0.45, 0.15, 0.15])
GEO_PRECISION = {
    TOWN: (0.72, 0.22, 0.06),
    HAMLET: (0.70, 0.24, 0.06),
    ROADSIDE: (0.55, 0.40, 0.05),
    NOISE: (0.45, 0.35, 0.20),
}


# --- the location pool: the "places" ACLED codes events at ----------------------------------
@dataclass
class Locations:
    name: list[str]
    lat: np.ndarray
    lon: np.ndarray
    site: np.ndarray
    place: np.ndarray  # nearest (or parent) gazetteer place
    road: np.ndarray  # road index for roadside locations, else -1
    admin2: list[str]
    admin3: list[str]
    centroid: np.ndarray  # index of the location standing for its admin2 (precision 3)


def _locations(rng: np.random.Generator, places: Places) -> Locations:
    """Gazetteer places, hamlets around them, points along roads, background points and one
    centroid per district: ACLED's own gazetteer is far finer than any place list."""
    P = len(places.ids)
    real = np.array([k != "airport" for k in places.kinds])
    pidx = np.flatnonzero(real)
    pop = places.population.astype(float)
    # hamlets: more around bigger towns
    per = np.maximum(1, np.round(4 * pop[pidx] ** 0.35 / np.mean(pop[pidx] ** 0.35))).astype(int)
    parent = np.repeat(pidx, per)
    dist = np.clip(rng.lognormal(math.log(7), 0.6, len(parent)), 1.5, 35)
    ang = rng.uniform(0, 2 * np.pi, len(parent))
    h_lat = places.lat[parent] + np.sin(ang) * dist / KM_LAT
    h_lon = places.lon[parent] + np.cos(ang) * dist / (KM_LON * np.cos(np.radians(h_lat)))
    ok = on_land(h_lat, h_lon)
    parent, h_lat, h_lon = parent[ok], h_lat[ok], h_lon[ok]
    # roadside points: one per ~10 km, within ~1.2 km of the polyline
    r_lat, r_lon, r_road = [], [], []
    for ri, road in enumerate(places.roads):
        seg = _km(road.lat[:-1], road.lon[:-1], road.lat[1:], road.lon[1:])
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        m = max(2, int(cum[-1] / 10))
        at = np.sort(rng.uniform(0, cum[-1], m))
        la = np.interp(at, cum, road.lat) + rng.uniform(-1.2, 1.2, m) / KM_LAT
        lo = np.interp(at, cum, road.lon) + rng.uniform(-1.2, 1.2, m) / (
            KM_LON * np.cos(np.radians(la))
        )
        r_lat.append(la)
        r_lon.append(lo)
        r_road.append(np.full(m, ri))
    rl_lat = np.concatenate(r_lat) if r_lat else np.zeros(0)
    rl_lon = np.concatenate(r_lon) if r_lon else np.zeros(0)
    rl_road = np.concatenate(r_road) if r_road else np.zeros(0, dtype=np.int64)
    n_lat, n_lon = _sample_points(rng, max(1, P), None, 0.0)

    plat, plon = places.lat[pidx], places.lon[pidx]
    rl_parent = pidx[_nearest(rl_lat, rl_lon, plat, plon)] if len(rl_lat) else rl_road
    n_parent = pidx[_nearest(n_lat, n_lon, plat, plon)]

    # one centroid per district seat (the mean of its places), for precision-3 events
    admin2 = np.array(places.admin2, dtype=object)
    keys = [f"{a}|{n}" for a, n in zip(places.admin1, places.admin2, strict=True)]
    uniq, inv = np.unique(np.array(keys), return_inverse=True)
    c_lat = np.bincount(inv, places.lat) / np.bincount(inv)
    c_lon = np.bincount(inv, places.lon) / np.bincount(inv)
    c_parent = np.array([np.flatnonzero(inv == k)[0] for k in range(len(uniq))])

    lat = np.concatenate([places.lat[pidx], h_lat, rl_lat, n_lat, c_lat])
    lon = np.concatenate([places.lon[pidx], h_lon, rl_lon, n_lon, c_lon])
    site = np.concatenate([
        np.full(len(pidx), TOWN), np.full(len(h_lat), HAMLET), np.full(len(rl_lat), ROADSIDE),
        np.full(len(n_lat), NOISE), np.full(len(uniq), CENTROID),
    ])  # fmt: skip
    place = np.concatenate([pidx, parent, rl_parent, n_parent, c_parent]).astype(np.int64)
    road = np.concatenate([
        np.full(len(pidx) + len(h_lat), -1), rl_road, np.full(len(n_lat) + len(uniq), -1)
    ]).astype(np.int64)  # fmt: skip
    # events must stay inside the gazetteer's extent, or the reader may take them as swapped
    a0, o0, a1, o1 = places.extent()
    lat = np.clip(lat, math.ceil(a0 * 1e4) / 1e4, math.floor(a1 * 1e4) / 1e4)
    lon = np.clip(lon, math.ceil(o0 * 1e4) / 1e4, math.floor(o1 * 1e4) / 1e4)

    n_new = len(h_lat) + len(rl_lat) + len(n_lat)
    flav = [ADMIN1[places.admin1[p]].flavour for p in place[len(pidx) : len(pidx) + n_new]]
    names = [places.names[p] for p in pidx] + _names(rng, flav) + [u.split("|")[1] for u in uniq]
    adm2 = list(admin2[place])
    adm3 = [places.admin3[p] for p in place]
    for k in range(len(lat) - len(uniq), len(lat)):
        adm3[k] = ""
    centroid = (len(lat) - len(uniq)) + inv[place]
    return Locations(names, lat, lon, site, place, road, adm2, adm3, centroid)


# --- events -----------------------------------------------------------------------------------
def _choice(rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    return rng.choice(len(weights), n, p=weights / weights.sum())


def _plan_sites(
    rng: np.random.Generator, n: int, places: Places, loc: Locations
) -> tuple[np.ndarray, np.ndarray]:
    """Country per event (ACLED's regional shares), then a location in it: a town by
    population, a hamlet around one, a point on a road or background, all weighted by the
    admin1's conflict hot spots."""
    p_adm1 = places.admin1[loc.place]
    p_cty = np.array([ADMIN1[a].country for a in p_adm1])
    hot = np.array([ADMIN1[a].weight for a in p_adm1])
    pop = np.maximum(places.population[loc.place], 100).astype(float)
    per_parent = np.bincount(loc.place[loc.site == HAMLET], minlength=len(places.ids))
    weight = np.select(
        [loc.site == TOWN, loc.site == HAMLET],
        [pop**0.6 * hot, pop**0.6 * hot / np.maximum(per_parent[loc.place], 1)],
        hot,
    )
    present = np.array([np.any((p_cty == c) & (loc.site == TOWN)) for c in range(len(COUNTRIES))])
    shares = np.array([c.share for c in COUNTRIES]) * present
    country = _choice(rng, n, shares)
    chosen = np.empty(n, dtype=np.int64)
    for c in np.flatnonzero(present):
        rows = np.flatnonzero(country == c)
        pools = [np.flatnonzero((p_cty == c) & (loc.site == s)) for s in range(4)]
        avail = SITE_SHARES * np.array([len(p) > 0 for p in pools])
        site = _choice(rng, len(rows), avail)
        for s in range(4):
            sel = rows[site == s]
            if len(sel):
                chosen[sel] = pools[s][_choice(rng, len(sel), weight[pools[s]])]
    return country, chosen


def _plan_days(rng: np.random.Generator, country: np.ndarray, as_of: date) -> np.ndarray:
    """Day ordinal per event over the ten years ending `as_of`, by each country's profile."""
    start = as_of.toordinal() - int(YEARS * 365.25) + 1
    span = as_of.toordinal() - start + 1
    day = np.empty(len(country), dtype=np.int64)
    for c in np.unique(country):
        rows = np.flatnonzero(country == c)
        prof = np.array(PROFILES[COUNTRIES[c].profile])
        year = _choice(rng, len(rows), prof)
        frac = (year + rng.random(len(rows))) / YEARS
        day[rows] = start + np.minimum((frac * span).astype(np.int64), span - 1)
    return day


def _plan_scenarios(
    rng: np.random.Generator,
    groups: np.ndarray,
    klass: np.ndarray,
    roadside: np.ndarray,
    mali_recent: np.ndarray,
) -> np.ndarray:
    """Scenario per event from the mix of its group (sahel, nigeria, ...) and site class."""
    group_names = list(MIX)
    scen = np.empty(len(groups), dtype=np.int64)
    for g, gname in enumerate(group_names):
        for k, kname in enumerate(("rural", "road", "urban")):
            rows = np.flatnonzero((groups == g) & (klass == k))
            if not len(rows):
                continue
            mix = MIX[gname][kname]
            keys = np.array([SCENARIO_INDEX[s] for s in mix])
            scen[rows] = keys[_choice(rng, len(rows), np.array(list(mix.values()), float))]
    surge = np.flatnonzero(mali_recent & roadside & (rng.random(len(groups)) < SURGE_SHARE))
    keys = np.array([SCENARIO_INDEX[s] for s in SURGE])
    scen[surge] = keys[_choice(rng, len(surge), np.array(list(SURGE.values()), float))]
    return scen


def _roles(rng: np.random.Generator, scen: np.ndarray, which: str) -> tuple[np.ndarray, list]:
    names = sorted({r for s in SCENARIOS for r, _ in getattr(s, which)})
    idx = {r: i for i, r in enumerate(names)}
    role = np.empty(len(scen), dtype=np.int64)
    for si, s in enumerate(SCENARIOS):
        rows = np.flatnonzero(scen == si)
        if not len(rows):
            continue
        opts = getattr(s, which)
        keys = np.array([idx[r] for r, _ in opts])
        role[rows] = keys[_choice(rng, len(rows), np.array([w for _, w in opts]))]
    return role, names


@dataclass
class _Plan:
    country: np.ndarray
    loc: np.ndarray
    day: np.ndarray
    scen: np.ndarray
    a1: np.ndarray
    a2: np.ndarray


def _follow_ups(rng: np.random.Generator, plan: _Plan, as_of: date) -> None:
    """Seizures mostly end: the group withdraws within days (a raid) or the army retakes the
    town; a few are held, some governed. The follow-up events replace ordinary rows, so the
    row count stays exact and every column stays consistent."""
    seized = np.flatnonzero(plan.scen == SCENARIO_INDEX["seizure"])
    if not len(seized):
        return
    u = rng.random(len(seized))
    kind = np.select([u < 0.65, u < 0.9], [SCENARIO_INDEX["withdrawal"], SCENARIO_INDEX["regain"]],
                     SCENARIO_INDEX["hq"])  # fmt: skip
    delay = np.where(kind == SCENARIO_INDEX["withdrawal"], rng.integers(1, 11, len(seized)),
                     np.where(kind == SCENARIO_INDEX["regain"], rng.integers(2, 46, len(seized)),
                              rng.integers(3, 61, len(seized))))  # fmt: skip
    governed = (kind == SCENARIO_INDEX["hq"]) & (rng.random(len(seized)) < 0.35)
    in_time = plan.day[seized] + delay <= as_of.toordinal()
    keep = ((kind != SCENARIO_INDEX["hq"]) | governed) & in_time
    seized, kind, delay = seized[keep], kind[keep], delay[keep]
    ordinary = {SCENARIO_INDEX[k] for k in ("vac_attack", "clash", "protest", "looting", "arrests")}
    pool = np.flatnonzero(np.isin(plan.scen, list(ordinary)))
    m = min(len(seized), len(pool))
    target = rng.choice(pool, m, replace=False)
    seized, kind, delay = seized[:m], kind[:m], delay[:m]
    plan.country[target] = plan.country[seized]
    plan.loc[target] = plan.loc[seized]
    plan.day[target] = plan.day[seized] + delay
    plan.scen[target] = kind
    regain = kind == SCENARIO_INDEX["regain"]
    plan.a1[target] = np.where(regain, plan.a2[seized], plan.a1[seized])
    plan.a2[target] = np.where(regain, plan.a1[seized], 0)


def _casualty(n_fat: np.ndarray, scen: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Template id of the casualty sentence (-1 none), by fatalities and the scenario."""
    has_victims = np.array([s.victims is not None for s in SCENARIOS])[scen]
    zero = rng.integers(0, len(ZERO_CASUALTIES), len(scen))
    quiet = np.isin(scen, [SCENARIO_INDEX[k] for k in ("protest", "protest_intervention")])
    return np.select(
        [n_fat == 1, n_fat > 1, has_victims & ~quiet & (rng.random(len(scen)) < 0.6)],
        [len(ZERO_CASUALTIES), len(ZERO_CASUALTIES) + 1, zero],
        -1,
    )


class _Templates:
    """Templates parsed once into literal pieces and slot names."""

    def __init__(self, texts: list[str]) -> None:
        self.parts = [
            [(lit, name) for lit, name, _, _ in string.Formatter().parse(t)] for t in texts
        ]


def _render(ctx: dict[str, tuple[pl.Series, np.ndarray]], key: np.ndarray, tpl: _Templates,
            ) -> pl.Series:  # fmt: skip
    """Fill each row's template from the context, one vectorised concat per template (rows of
    the same template are contiguous after a stable sort); -1 gives null."""
    order = np.argsort(key, kind="stable")
    ks = key[order]
    cuts = np.flatnonzero(np.diff(ks)) + 1
    out: list[pl.Series] = []
    for s, e in zip(np.r_[0, cuts], np.r_[cuts, len(ks)], strict=True):
        k = int(ks[s])
        rows = order[s:e]
        if k < 0:
            out.append(pl.Series("t", [None] * len(rows), dtype=pl.String))
            continue
        cols: dict[str, pl.Series] = {}
        exprs: list[pl.Expr] = []
        for lit, name in tpl.parts[k]:
            if lit:
                exprs.append(pl.lit(lit))
            if name:
                values, index = ctx[name]
                cols[name] = values.gather(index[rows])
                exprs.append(pl.col(name))
        if not cols:  # a literal alone would broadcast to one row
            text = "".join(lit for lit, _ in tpl.parts[k])
            out.append(pl.repeat(text, len(rows), eager=True, dtype=pl.String).alias("t"))
            continue
        out.append(pl.DataFrame(cols).select(pl.concat_str(exprs).alias("t")).to_series())
    joined = pl.concat(out) if out else pl.Series("t", [], dtype=pl.String)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return joined.gather(inverse)


def _pick_sources(rng: np.random.Generator, country: np.ndarray) -> tuple[pl.Series, np.ndarray]:
    """One to three distinct outlets, national ones first, as ACLED lists them."""
    strings: list[str] = []
    index = np.empty(len(country), dtype=np.int64)
    shared = SHARED_SOURCES.split(";")
    for c in np.unique(country):
        rows = np.flatnonzero(country == c)
        pool = SOURCES[COUNTRIES[c].code].split(";") + shared
        size = len(pool)
        k = _choice(rng, len(rows), np.array([0.55, 0.33, 0.12])) + 1
        first = rng.integers(0, size, len(rows))
        second = (first + rng.integers(1, size, len(rows))) % size
        third = (second + rng.integers(1, size - 1, len(rows))) % size
        third = np.where(third == first, (third + 1) % size, third)
        third = np.where(third == second, (third + 1) % size, third)
        second = np.where(k >= 2, second, size)  # `size` stands for "no outlet"
        third = np.where(k >= 3, third, size)
        code = (first * (size + 1) + second) * (size + 1) + third
        uniq, inv = np.unique(code, return_inverse=True)
        named = [*pool, ""]
        for u in uniq.tolist():
            a, b, d = u // (size + 1) ** 2, u // (size + 1) % (size + 1), u % (size + 1)
            strings.append("; ".join(x for x in (named[a], named[b], named[d]) if x))
        index[rows] = len(strings) - len(uniq) + inv
    return pl.Series(strings, dtype=pl.String), index


def _assoc_actors(
    rng: np.random.Generator,
    book: ActorBook,
    scen: np.ndarray,
    country: np.ndarray,
    day: np.ndarray,
    a1: np.ndarray,
    a2: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Associated actors as ACLED codes them: Wagner/Africa Corps or the VDP beside the army,
    Katiba Macina beside JNIM, the crowd's trade beside protesters, the victims' group beside
    civilians. Also returns which rows are protests or riots, and who the crowd is (the
    notes name it)."""
    n = len(scen)
    assoc1 = np.zeros(n, dtype=np.int64)
    assoc2 = np.zeros(n, dtype=np.int64)
    actors = book.actors
    is_state = np.array([a.inter == "State forces" and "Military" in a.name for a in actors])
    is_jnim = np.array([a == JNIM for a in actors])
    ml = country == CODE_INDEX["ML"]
    bf = country == CODE_INDEX["BF"]
    wagner_from = date(2021, 12, 15).toordinal()
    corps_from = date(2025, 6, 6).toordinal()
    u = rng.random(n)
    sel = ml & is_state[a1] & (day >= wagner_from) & (u < 0.3)
    assoc1[sel & (day < corps_from)] = book.assoc_id("Wagner Group")
    assoc1[sel & (day >= corps_from)] = book.assoc_id("Africa Corps")
    assoc1[bf & is_state[a1] & (u < 0.3)] = book.assoc_id(
        "VDP: Volunteers for the Defense of the Homeland"
    )
    assoc1[ml & is_jnim[a1] & (u < 0.12)] = book.assoc_id("Katiba Macina")
    protest_like = np.isin(scen, [SCENARIO_INDEX[k] for k in (
        "protest", "protest_intervention", "excessive_force", "riot")])  # fmt: skip
    who = rng.integers(0, len(WHO), n)
    civ_target = np.array([a.inter == "Civilians" for a in actors])[a2]
    group_pick = rng.integers(0, 64, n)
    for c in np.unique(country):
        code, cname = COUNTRIES[c].code, COUNTRIES[c].name
        rows = country == c
        who_ids = np.array([book.assoc_id(f"{w[1]} ({cname})" if w[1] else "") for w in WHO])
        pr = rows & protest_like
        target = np.where(scen[pr] == SCENARIO_INDEX["excessive_force"], 1, 0)
        ids = who_ids[who[pr]]
        assoc1[np.flatnonzero(pr)[target == 0]] = ids[target == 0]
        assoc2[np.flatnonzero(pr)[target == 1]] = ids[target == 1]
        groups_c = [f"{e} Ethnic Group ({cname})" for e in ETHNIC.get(code, ("Fulani",))]
        groups_c += [f"{g} ({cname})" for g in VICTIM_GROUPS]
        gid = np.array([book.assoc_id(g) for g in groups_c])
        vr = np.flatnonzero(rows & civ_target & (rng.random(n) < 0.35))
        assoc2[vr] = gid[group_pick[vr] % len(gid)]
        aid = np.flatnonzero(rows & (scen == SCENARIO_INDEX["kidnap_aid"]))
        assoc2[aid] = book.assoc_id(f"Aid Workers ({cname})")

    return assoc1, assoc2, protest_like, who


def generate_events(
    places: Places,
    n_events: int = 1_000_000,
    as_of: date = AS_OF,
    seed: int = 42,
    date_style: str = "iso",
) -> pl.DataFrame:
    """`n_events` ACLED-format rows (all export columns, as strings and numbers ACLED writes)
    over the ten years ending `as_of`, located around `places` and along its roads."""
    if n_events < 1:
        raise ValueError("need at least 1 event")
    if date_style not in ("iso", "acled"):
        raise ValueError(f"date_style must be 'iso' or 'acled', not {date_style!r}")
    rng = _rng(seed, 2)
    loc = _locations(rng, places)
    book = _actor_book()
    country, chosen = _plan_sites(rng, n_events, places, loc)
    day = _plan_days(rng, country, as_of)
    p_adm1 = places.admin1[loc.place[chosen]]
    groups = np.array([list(MIX).index(ADMIN1[a].group) for a in range(len(ADMIN1))])[p_adm1]
    parent_pop = places.population[loc.place[chosen]]
    roadside = loc.site[chosen] == ROADSIDE
    capital_district = np.array([a.radius_km is not None for a in ADMIN1])[p_adm1]
    urban = ((parent_pop >= 100_000) | capital_district) & ~roadside
    klass = np.where(roadside, 1, np.where(urban, 2, 0))
    mali_recent = (country == CODE_INDEX["ML"]) & (day > as_of.toordinal() - SURGE_DAYS)
    scen = _plan_scenarios(rng, groups, klass, roadside, mali_recent)
    # seizures happen at the towns themselves more often than not
    seize = np.flatnonzero((scen == SCENARIO_INDEX["seizure"]) & (rng.random(n_events) < 0.7))
    town_loc = np.full(len(places.ids), -1)
    town_loc[loc.place[loc.site == TOWN]] = np.flatnonzero(loc.site == TOWN)
    chosen[seize] = town_loc[loc.place[chosen[seize]]]
    p_adm1 = places.admin1[loc.place[chosen]]

    r1, roles1 = _roles(rng, scen, "actor1")
    r2, roles2 = _roles(rng, scen, "actor2")
    a1 = _pick_actors(rng, book, r1, roles1, country, p_adm1, day)
    a2 = _pick_actors(rng, book, r2, roles2, country, p_adm1, day)
    plan = _Plan(country, chosen, day, scen, a1, a2)
    _follow_ups(rng, plan, as_of)
    country, chosen, day, scen, a1, a2 = (
        plan.country, plan.loc, plan.day, plan.scen, plan.a1, plan.a2
    )  # fmt: skip
    n = n_events
    sc = SCENARIOS

    # location precision: region centroids for precision 3
    site = loc.site[chosen]
    precision = np.ones(n, dtype=np.int64)
    for s, probs in GEO_PRECISION.items():
        rows = np.flatnonzero(site == s)
        precision[rows] = _choice(rng, len(rows), np.array(probs)) + 1
    control = np.isin(scen, [SCENARIO_INDEX[k] for k in ("seizure", "regain", "withdrawal", "hq")])
    precision[control] = np.where(rng.random(int(control.sum())) < 0.85, 1, 2)
    chosen = np.where(precision == 3, loc.centroid[chosen], chosen)
    road = loc.road[chosen]
    road = np.where(road >= 0, road, len(places.roads))
    # a road scenario at a centroid keeps its road for the notes
    orig_road = loc.road[plan.loc]
    road = np.where((road == len(places.roads)) & (orig_road >= 0), orig_road, road)

    # fatalities: mostly 0, geometric when not, a rare mass-casualty tail
    p0 = np.array([s.fatal[0] for s in sc])[scen]
    mean = np.array([s.fatal[1] for s in sc])[scen]
    fat = 1 + rng.geometric(1 / np.maximum(mean, 1.0001)) - 1
    fat = np.where(rng.random(n) < 0.015, fat * rng.integers(3, 12, n), fat)
    fat = np.where(rng.random(n) < p0, 0, np.minimum(fat, 300))
    time_precision = _choice(rng, n, np.array([0.9, 0.08, 0.02])) + 1

    assoc1, assoc2, protest_like, who = _assoc_actors(rng, book, scen, country, day, a1, a2)
    actors = book.actors
    civ_target = np.array([a.inter == "Civilians" for a in actors])[a2]

    # codes derived from the actors: interaction in ACLED's order of actor types
    inter = [a.inter for a in actors]
    rank = {v: i for i, v in enumerate(INTER_ORDER)}
    pair_text = []
    for x in inter:
        for y in inter:
            lo, hi = sorted((x, y), key=lambda v: rank.get(v, -1))
            pair_text.append("" if not x else f"{x} only" if not y else f"{lo}-{hi}")
    inter_key = a1 * len(actors) + a2
    civ_types = np.isin(scen, [i for i, s in enumerate(sc) if s.event_type in (VAC, EXP, "Riots")])
    civilian_targeting = np.where(civ_types & civ_target, 1, 0)

    # identifiers: per-country sequence in date order
    tie = rng.random(n)
    order = np.lexsort((tie, day, country))
    seq = np.empty(n, dtype=np.int64)
    seq[order] = np.arange(n)
    starts = np.searchsorted(country[order], np.arange(len(COUNTRIES)))
    seq = seq - starts[country] + 10_001

    # dates as ACLED writes them, computed once per distinct day
    d0 = int(day.min())
    days = np.arange(d0, int(day.max()) + 1)
    dates = pl.Series([date.fromordinal(int(d)) for d in days])
    day_text = pl.select(dates.dt.strftime("%-d %B %Y")).to_series()
    date_fmt = "%Y-%m-%d" if date_style == "iso" else "%d %B %Y"
    event_date = pl.select(dates.dt.strftime(date_fmt)).to_series()
    di = day - d0
    on_table = pl.concat([
        "On " + day_text + ",", "Around " + day_text + " (week of),",
        "Around " + day_text + " (month of),",
    ])  # fmt: skip
    epoch = date(1970, 1, 1).toordinal()
    lag = 2 + rng.geometric(1 / 6, n) + np.where(rng.random(n) < 0.05, rng.integers(0, 700, n), 0)
    timestamp = (day - epoch + np.minimum(lag, 900)) * 86400 + rng.integers(0, 86400, n)

    # the notes: a first sentence, up to three context sentences and the casualties
    road_labels = pl.Series([r.label for r in places.roads] + [""])
    road_from = pl.Series([places.names[r.a] for r in places.roads] + [""])
    road_to = pl.Series([places.names[r.b] for r in places.roads] + [""])
    adm1_of_loc = pl.Series([ADMIN1[places.admin1[p]].name for p in loc.place])
    loc_names = pl.Series(loc.name)
    adm2 = pl.Series(loc.admin2)
    where = pl.Series(
        [
            f"the {a2_} area ({a1_})" if s == CENTROID else
            f"{nm} ({a1_})" if nm == a2_ else f"{nm} ({a2_}, {a1_})"
            for nm, a2_, a1_, s in zip(loc.name, loc.admin2, adm1_of_loc, loc.site, strict=True)
        ]
    )  # fmt: skip
    short = pl.Series([a.short for a in actors])
    org = pl.Series([a.org for a in actors])
    victims = [s.victims or ("person", "people") for s in sc]
    ctx: dict[str, tuple[pl.Series, np.ndarray]] = {
        "on": (on_table, (time_precision - 1) * len(days) + di),
        "A1": (short, a1),
        "A2": (short, a2),
        "A1org": (org, a1),
        "A2org": (org, a2),
        "where": (where, chosen),
        "loc": (loc_names, chosen),
        "admin1": (adm1_of_loc, chosen),
        "admin2": (adm2, chosen),
        "road": (road_labels, road),
        "from": (road_from, road),
        "to": (road_to, road),
        "vs": (pl.Series([v[0] for v in victims]), scen),
        "vp": (pl.Series([v[1] for v in victims]), scen),
        "nfat": (pl.Series([str(i) for i in range(int(fat.max()) + 1)]), fat),
    }
    for name, words in VOCAB.items():
        idx = who if name == "who" else rng.integers(0, len(words), n)
        ctx[name] = (pl.Series(list(words)), idx)

    first_texts = [t for s in sc for t in s.texts]
    first_base = np.cumsum([0] + [len(s.texts) for s in sc])[:-1]
    n_first = np.array([len(s.texts) for s in sc])
    first_key = first_base[scen] + (rng.random(n) * n_first[scen]).astype(np.int64)
    extra_texts = [t for s in sc for t in s.extras]
    extra_base = np.cumsum([0] + [len(s.extras) for s in sc])[:-1]
    n_extra = np.array([len(s.extras) for s in sc])[scen]
    # zero to three distinct context sentences (consecutive in the scenario's list)
    how_many = np.minimum(_choice(rng, n, np.array([0.08, 0.32, 0.35, 0.25])), n_extra)
    start = (rng.random(n) * np.maximum(n_extra, 1)).astype(np.int64)
    extra = [
        np.where(how_many > k, extra_base[scen] + (start + k) % np.maximum(n_extra, 1), -1)
        for k in range(3)
    ]
    cas_texts = [*ZERO_CASUALTIES, "One {vs} was killed.", "{nfat} {vp} were killed."]
    extra_tpl = _Templates(extra_texts)
    parts = [
        _render(ctx, first_key, _Templates(first_texts)),
        _render(ctx, extra[0], extra_tpl),
        _render(ctx, _casualty(fat, scen, rng), _Templates(cas_texts)),
        _render(ctx, extra[1], extra_tpl),
        _render(ctx, extra[2], extra_tpl),
    ]
    notes = (
        pl.DataFrame({f"p{i}": p for i, p in enumerate(parts)})
        .select(pl.concat_str(pl.all(), separator=" ", ignore_nulls=True))
        .to_series()
    )

    src_values, src_index = _pick_sources(rng, country)
    scale = _choice(rng, n, np.array([w for _, w in SOURCE_SCALES]))
    crowd = _choice(rng, n, np.array([w for _, w in CROWDS]))
    tags = np.where(protest_like, crowd, len(CROWDS))

    def table(values: list[str] | tuple[str, ...], index: np.ndarray) -> pl.Series:
        return pl.Series(list(values), dtype=pl.String).gather(index)

    prefix = table([c.prefix for c in COUNTRIES], country)
    frame = pl.DataFrame(
        {
            "event_id_cnty": prefix + pl.Series(seq).cast(pl.String),
            "event_date": event_date.gather(di),
            "year": np.array([date.fromordinal(int(d)).year for d in days])[di],
            "time_precision": time_precision,
            "disorder_type": table([s.disorder for s in sc], scen),
            "event_type": table([s.event_type for s in sc], scen),
            "sub_event_type": table([s.sub_event for s in sc], scen),
            "actor1": table([a.name for a in actors], a1),
            "assoc_actor_1": table(book.assoc, assoc1),
            "inter1": table(inter, a1),
            "actor2": table([a.name for a in actors], a2),
            "assoc_actor_2": table(book.assoc, assoc2),
            "inter2": table(inter, a2),
            "interaction": table(pair_text, inter_key),
            "civilian_targeting": table(["", "Civilian targeting"], civilian_targeting),
            "iso": np.array([c.iso for c in COUNTRIES])[country],
            "region": pl.repeat("Western Africa", n, eager=True),
            "country": table([c.name for c in COUNTRIES], country),
            "admin1": adm1_of_loc.gather(chosen),
            "admin2": adm2.gather(chosen),
            "admin3": table(loc.admin3, chosen),
            "location": loc_names.gather(chosen),
            "latitude": np.round(loc.lat[chosen], 4),
            "longitude": np.round(loc.lon[chosen], 4),
            "geo_precision": precision,
            "source": src_values.gather(src_index),
            "source_scale": table([s for s, _ in SOURCE_SCALES], scale),
            "notes": notes,
            "fatalities": fat,
            "tags": table([*(c for c, _ in CROWDS), ""], tags),
            "timestamp": timestamp,
        }
    )
    # ACLED exports come newest first
    final = np.lexsort((-seq, country, -day))
    return frame[final].select(COLUMNS)


def write_events(events: pl.DataFrame, path: Path) -> Path:
    """CSV as ACLED writes it: empty fields left empty, not quoted."""
    events.with_columns(pl.when(pl.col(pl.String) != "").then(pl.col(pl.String))).write_csv(path)
    return path


def generate(
    out: Path,
    n_events: int = 1_000_000,
    n_places: int = 10_000,
    n_roads: int = 200,
    seed: int = 42,
    as_of: date = AS_OF,
    date_style: str = "iso",
) -> tuple[Path, Path]:
    """Write `out/events.csv` and `out/places.geojson`; returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    places = generate_places(n_places, n_roads, seed)
    events = generate_events(places, n_events, as_of, seed, date_style)
    return write_events(events, out / "events.csv"), write_places(places, out / "places.geojson")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--places", type=int, default=10_000, help="points, roads not included")
    ap.add_argument("--roads", type=int, default=200)
    ap.add_argument("--out", type=Path, required=True, help="directory to write into")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--as-of", type=date.fromisoformat, default=AS_OF,
                    help="last day of the ten years (default %(default)s)")  # fmt: skip
    ap.add_argument("--date-style", choices=("iso", "acled"), default="iso",
                    help="event_date as 2025-11-07 (iso) or 07 November 2025 (acled)")  # fmt: skip
    args = ap.parse_args(argv)
    t = time.perf_counter()
    csv, geo = generate(args.out, args.events, args.places, args.roads, args.seed, args.as_of,
                        args.date_style)  # fmt: skip
    took = time.perf_counter() - t
    print(
        f"wrote {csv} ({csv.stat().st_size / 1e6:.1f} MB, {args.events} events) and {geo} "
        f"({args.places} places, {args.roads} roads) in {took:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
