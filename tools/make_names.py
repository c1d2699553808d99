#!/usr/bin/env python3
"""Writes data/names.tsv from the PyPI package Faker (MIT licence): the given names of its
person providers for every locale (South Asian, Arabic, African, Chinese and European ones
among them), Latin script only, each with the gender most of its locales give it (m, f, or
u on a tie, when none gives one, or when US English gives both: "Terry"); with --surnames, their surnames instead. Run it to
rebuild the files:

  pip download --no-deps -d /tmp/faker faker==40.63.0
  python3 tools/make_names.py /tmp/faker/faker-40.63.0-py3-none-any.whl > data/names.tsv
  python3 tools/make_names.py /tmp/faker/faker-40.63.0-py3-none-any.whl --surnames > data/surnames.tsv
"""
import importlib, re, sys, tempfile, zipfile

LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’-]+$")


def names(value):
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


def main():
    tmp = tempfile.mkdtemp()
    with zipfile.ZipFile(sys.argv[1]) as z:
        z.extractall(tmp)
    sys.path.insert(0, tmp)
    import faker.providers.person as person
    import pkgutil
    genders = {}
    surnames = set()
    for mod in sorted(m.name for m in pkgutil.iter_modules(person.__path__)):
        provider = importlib.import_module(f"faker.providers.person.{mod}").Provider
        for n in names(getattr(provider, "last_names", None)):
            if isinstance(n, str) and LATIN.match(n) and len(n) >= 2:
                surnames.add(n)
        for attr, g in (("first_names_male", "m"), ("first_names_female", "f"), ("first_names", "u")):
            for n in names(getattr(provider, attr, None)):
                if not isinstance(n, str) or not LATIN.match(n) or len(n) < 2:
                    continue
                genders.setdefault(n, []).append((g, mod))
    if "--surnames" in sys.argv:
        print("# surname: from the PyPI package Faker 40.63.0 (MIT), tools/make_names.py --surnames")
        for n in sorted(surnames):
            print(n)
        return
    print("# given name\tgender (m, f, u): from the PyPI package Faker 40.63.0 (MIT), tools/make_names.py")
    for n in sorted(genders):
        gs = [g for g, _ in genders[n]]
        m, f = gs.count("m"), gs.count("f")
        # A name US English gives both genders ("Terry", "Jordan") is either, whatever the rest say.
        either = {"m", "f"} <= {g for g, mod in genders[n] if mod == "en_US"}
        print(f"{n}\t{'u' if either else 'm' if m > f else 'f' if f > m else 'u'}")


main()
