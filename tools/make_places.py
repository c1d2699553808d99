#!/usr/bin/env python3
"""Writes data/places.tsv from the PyPI package countryinfo 1.0.1 (MIT licence):
countries, their capitals and demonyms, plus the US states, their abbreviations and world regions. Run it to rebuild the file:

  pip download --no-deps -d /tmp/countryinfo countryinfo==1.0.1
  python3 tools/make_places.py /tmp/countryinfo/countryinfo-1.0.1-py3-none-any.whl > data/places.tsv
"""
import json, sys, zipfile

US_STATES = """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii
Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota
Mississippi Missouri Montana Nebraska Nevada New_Hampshire New_Jersey New_Mexico New_York North_Carolina
North_Dakota Ohio Oklahoma Oregon Pennsylvania Rhode_Island South_Carolina South_Dakota Tennessee Texas Utah
Vermont Virginia Washington West_Virginia Wisconsin Wyoming""".split()

# The states' abbreviations in news style ("of Ashton, Md.", "R-S.C."), written by hand.
AP_ABBREVIATIONS = """Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Ky. La. Md. Mass. Mich. Minn. Miss. Mo.
Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Tex. Vt. Va. Wash. W.Va. Wis.
Wyo.""".split()

# Continents, oceans and regions, written by hand: places, never people ("Pacific Island leaders").
REGIONS = """Africa Asia Europe North_America South_America Latin_America Central_America Antarctica Oceania
Middle_East Far_East Pacific Atlantic Arctic Caribbean Balkans Baltic Mediterranean Midwest Persian_Gulf
Scandinavia Sahel Southeast_Asia Central_Asia South_Asia East_Asia Eastern_Europe Western_Europe""".split()

# The nations of the United Kingdom and its short names, written by hand (countryinfo has the
# United Kingdom only): "England said", "Britain insists" are the country speaking.
UK_NATIONS = """England Scotland Wales Northern_Ireland Britain Great_Britain UK U.K.""".split()

def main():
    rows = set()
    with zipfile.ZipFile(sys.argv[1]) as z:
        for name in sorted(z.namelist()):
            if not (name.startswith('countryinfo/data/') and name.endswith('.json')):
                continue
            d = json.loads(z.read(name))
            country = d.get('name')
            if not country:
                continue
            rows.add((country, 'country', country))
            cap = d.get('capital')
            if isinstance(cap, str) and cap:
                rows.add((cap, 'capital', country))
            dem = d.get('demonym')
            if isinstance(dem, str) and dem:
                rows.add((dem, 'demonym', country))
    for s in US_STATES:
        s = s.replace('_', ' ')
        rows.add((s, 'state', 'United States'))
    for s in AP_ABBREVIATIONS:
        rows.add((s, 'state', 'United States'))
    for r in REGIONS:
        r = r.replace('_', ' ')
        rows.add((r, 'region', r))
    for n in UK_NATIONS:
        rows.add((n.replace('_', ' '), 'country', 'United Kingdom'))
    print('# place\tkind\tcountry — countries, capitals and demonyms from the PyPI package countryinfo 1.0.1')
    print('# (MIT licence), US states, their news abbreviations, UK nations and world regions added by hand; made by tools/make_places.py')
    for r in sorted(rows):
        if '\t' not in ''.join(r):
            print('\t'.join(r))

main()
