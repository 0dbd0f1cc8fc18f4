#!/usr/bin/env python3
"""gen-cluster-pairs.py - writes tests/data/clusters/templated.tsv, the
labelled headline pairs that hold story clustering to its figures
(tests/test-dedupe.c; hand-written pairs are in pairs.tsv beside it).

    python3 tools/gen-cluster-pairs.py > tests/data/clusters/templated.tsv

Entertainment headlines are templates, and the part that differs (the
artist, the song, the count, the place) is what makes two stories two. So:

  label 0  one template filled twice, with one slot changed: another
           artist, member, song, number, place or month (the mistake
           issue 22 is about), with or without a summary;
  label 1  one story told by two outlets: two differently worded
           templates (not one reworded by hand) filled with the same
           facts, with or without a summary.

Seeded: the output is the same on every run. The artists, songs and places
are real-sounding K-pop and entertainment names, none of them in the weight
corpus's fillers (tools/gen-headline-corpus.py), so the test measures names
the weight table has never seen. The issue's own example pairs come first.
"""
import random
import sys

ISSUE = [
    ("Aespa to hold fan meeting in Seoul in March", "Stray Kids to hold fan meeting in Seoul in March"),
    ("BTS' Jin to release solo album in November", "BTS' Jimin to release solo album in November"),
    ("Blackpink's Lisa to star in 'The White Lotus'", "Blackpink's Jisoo to star in zombie series 'Newtopia'"),
    ("Jungkook's 'Seven' passes 2 billion Spotify streams",
     "Jungkook's 'Standing Next to You' passes 1 billion Spotify streams"),
    ("뉴진스, 음악방송 첫 1위", "아일릿, 음악방송 첫 1위"),
    ("방탄소년단 진, 11월 솔로 앨범 발매", "방탄소년단 지민, 11월 솔로 앨범 발매"),
]

# (group, member) pairs, English and Korean
EN_ACTS = [("BTS", "Jin"), ("BTS", "Jimin"), ("BTS", "Jungkook"), ("BTS", "Suga"), ("BTS", "V"),
           ("BTS", "RM"), ("BTS", "J-Hope"), ("Blackpink", "Lisa"), ("Blackpink", "Jisoo"),
           ("Blackpink", "Jennie"), ("Blackpink", "Rose"), ("Twice", "Nayeon"), ("Twice", "Jihyo"),
           ("Aespa", "Karina"), ("Aespa", "Winter"), ("NewJeans", "Hanni"), ("NewJeans", "Minji"),
           ("IVE", "Wonyoung"), ("IVE", "Yujin"), ("Seventeen", "Mingyu"), ("Stray Kids", "Bang Chan"),
           ("Le Sserafim", "Chaewon"), ("Le Sserafim", "Sakura"), ("TXT", "Yeonjun"),
           ("Illit", "Wonhee"), ("Red Velvet", "Irene"), ("Exo", "Baekhyun")]
EN_GROUPS = ["Aespa", "Stray Kids", "NewJeans", "IVE", "Seventeen", "Twice", "Le Sserafim", "TXT",
             "Illit", "Red Velvet", "Enhypen", "Ateez", "NCT Dream", "Itzy", "Babymonster",
             "Riize", "Zerobaseone", "Kiss of Life", "Tws", "Nmixx"]
EN_SONGS = ["Seven", "Supernova", "Magnetic", "Super Shy", "Easy", "Armageddon", "Whiplash",
            "Love Dive", "Antifragile", "Maestro", "Chk Chk Boom", "Standing Next to You",
            "Apt.", "Drama", "Smart", "Cherish", "Shoong", "Hype Boy", "Perfect Night", "Sticky"]
EN_CITIES = ["Seoul", "Tokyo", "Osaka", "Bangkok", "Jakarta", "London", "Paris", "Los Angeles",
             "New York", "Busan", "Manila", "Singapore", "Taipei", "Sydney", "Berlin"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
EN_SHOWS = ["Newtopia", "The White Lotus", "Squid Game", "Queen of Tears", "Lovely Runner",
            "Gyeongseong Creature", "Sweet Home", "The Trunk", "When the Phone Rings", "Mr. Plankton"]

KO_ACTS = [("방탄소년단", "진"), ("방탄소년단", "지민"), ("방탄소년단", "정국"), ("방탄소년단", "슈가"),
           ("방탄소년단", "뷔"), ("블랙핑크", "리사"), ("블랙핑크", "지수"), ("블랙핑크", "제니"),
           ("블랙핑크", "로제"), ("트와이스", "나연"), ("트와이스", "지효"), ("에스파", "카리나"),
           ("에스파", "윈터"), ("뉴진스", "하니"), ("뉴진스", "민지"), ("아이브", "장원영"),
           ("아이브", "안유진"), ("세븐틴", "민규"), ("르세라핌", "김채원"), ("엑소", "백현")]
KO_GROUPS = ["뉴진스", "아일릿", "에스파", "스트레이 키즈", "아이브", "세븐틴", "트와이스", "르세라핌",
             "투모로우바이투게더", "레드벨벳", "엔하이픈", "에이티즈", "있지", "베이비몬스터",
             "라이즈", "제로베이스원", "키스오브라이프", "투어스", "엔믹스", "방탄소년단"]
KO_SONGS = ["세븐", "슈퍼노바", "마그네틱", "슈퍼 샤이", "이지", "아마겟돈", "위플래시", "러브 다이브",
            "안티프래자일", "마에스트로", "칙칙붐", "아파트", "드라마", "스마트", "체리시", "하입보이"]
KO_CITIES = ["서울", "도쿄", "오사카", "방콕", "자카르타", "런던", "파리", "부산", "마닐라",
             "싱가포르", "타이베이", "시드니", "베를린", "뉴욕"]
KO_SHOWS = ["뉴토피아", "오징어 게임", "눈물의 여왕", "선재 업고 튀어", "경성크리처", "스위트홈",
            "트렁크", "지금 거신 전화는", "조명가게", "정년이"]

# Different stories: one template, one slot changed. Slots: {g} group, {m}
# member of {mg}, {s} song, {n} number, {c} city, {mo} month, {w} show.
EN_DIFF = [
    "{g} to hold fan meeting in {c} in {mo}",
    "{mg}'s {m} to release solo album in {mo}",
    "{mg}'s {m} to star in {w}",
    "{m}'s '{s}' passes {n} billion Spotify streams",
    "{g} top Billboard 200 for {n}th time",
    "{g} announce {c} concert for {mo}",
    "{g} win first music show trophy with '{s}'",
    "{g}'s '{s}' music video hits {n}00 million views",
    "{mg}'s {m} enlists in the military today",
    "{mg}'s {m} completes military service",
    "{g} confirm comeback with new single '{s}' in {mo}",
    "{g} add {n} stadium shows in {c} to world tour",
    "{g} sell out {n} nights at {c} arena",
    "{mg}'s {m} named global ambassador for Dior",
    "{mg}'s {m} signs with new agency",
    "{g} to headline music festival in {c}",
    "{g}'s new album sells {n} million copies in first week",
    "{mg}'s {m} cast in Netflix series '{w}'",
    "'{w}' renewed for season {n}",
    "{g} postpone {c} concert due to typhoon",
]
KO_DIFF = [
    "{g}, 음악방송 첫 1위",
    "{mg} {m}, {n}월 솔로 앨범 발매",
    "{g}, {c}서 팬미팅 개최",
    "{g}, {n}월 컴백 확정",
    "{mg} {m}, 드라마 '{w}' 주연 확정",
    "{g} '{s}', 뮤직비디오 {n}억뷰 돌파",
    "{mg} {m}, 오늘 입대",
    "{mg} {m}, 오늘 전역",
    "{g}, 빌보드 200 {n}위",
    "{g}, {c} 콘서트 전석 매진",
    "{mg} {m}, 글로벌 앰버서더 발탁",
    "{g}, 월드투어 {c} 공연 추가",
    "{g}, 데뷔 {n}주년 기념 팬미팅",
    "{mg} {m}, 새 소속사와 전속계약",
    "{g}, 신곡 '{s}'로 컴백",
    "{g}, 초동 {n}0만장 돌파",
    "'{w}' 시즌{n} 제작 확정",
    "{mg} {m}, 스포티파이 {n}억 스트리밍 돌파",
]
# Same story: two outlets' wordings of one fact.
EN_SAME = [
    ("{g} to hold fan meeting in {c} in {mo}", "{g} announce {mo} fan meeting in {c}"),
    ("{mg}'s {m} to release solo album in {mo}", "{m} of {mg} confirms solo album for {mo} release"),
    ("{mg}'s {m} to star in '{w}'", "{m} of {mg} joins cast of '{w}'"),
    ("{m}'s '{s}' passes {n} billion Spotify streams", "'{s}' by {m} hits {n} billion streams on Spotify"),
    ("{g} top Billboard 200 with '{s}'", "'{s}' gives {g} No. 1 album on Billboard 200"),
    ("{g} win first music show trophy with '{s}'", "{g} take first music show win for '{s}'"),
    ("{mg}'s {m} enlists in the military", "{m} of {mg} begins mandatory military service"),
    ("{mg}'s {m} completes military service", "{mg} member {m} discharged from army"),
    ("{g} add {n} shows in {c} to world tour", "{g} world tour: {n} more {c} concerts added"),
    ("{mg}'s {m} named global ambassador for Dior", "Dior taps {mg} star {m} as global ambassador"),
    ("{g} confirm {mo} comeback with '{s}'", "{g} to return in {mo} with new single '{s}'"),
    ("{g} to headline festival in {c}", "{c} festival names {g} as headliner"),
    ("{mg}'s {m} signs with new agency", "{m} of {mg} joins new management agency"),
    ("'{w}' renewed for season {n}", "Netflix renews '{w}' for season {n}"),
    ("{g} postpone {c} concert due to typhoon", "Typhoon forces {g} to delay {c} show"),
    ("{g}'s '{s}' music video tops {n}00 million views", "{g} hit {n}00 million YouTube views with '{s}' MV"),
]
KO_SAME = [
    ("{g}, 음악방송 첫 1위", "{g} 데뷔 첫 음악방송 1위 트로피"),
    ("{mg} {m}, {n}월 솔로 앨범 발매", "{mg} {m} 솔로 앨범, {n}월 나온다"),
    ("{g}, {c}서 팬미팅 개최", "{g} {c} 팬미팅 연다"),
    ("{mg} {m}, 드라마 '{w}' 주연 확정", "{m}, '{w}' 주인공 캐스팅…{mg} 멤버 연기 도전"),
    ("{mg} {m}, 오늘 입대", "{mg} {m} 오늘 현역 입대…팬들 배웅"),
    ("{mg} {m}, 오늘 전역", "{mg} {m} 만기 전역…팬들에 감사 인사"),
    ("{g}, 빌보드 200 {n}위", "{g} 새 앨범 빌보드200 {n}위 진입"),
    ("{g}, {c} 콘서트 전석 매진", "{g} {c} 공연 티켓 매진"),
    ("{mg} {m}, 글로벌 앰버서더 발탁", "{m}, 명품 브랜드 글로벌 앰버서더 됐다…{mg} 멤버"),
    ("{g}, 신곡 '{s}'로 컴백", "{g} 컴백…신곡 '{s}' 공개"),
    ("'{w}' 시즌{n} 제작 확정", "'{w}' 시즌{n} 나온다…제작 공식 발표"),
    ("{mg} {m}, 스포티파이 {n}억 스트리밍 돌파", "{mg} {m}, 스포티파이서 {n}억 스트리밍 기록"),
]
# Summaries: two outlets' wordings, naming the headline's subject.
EN_SUMMARY = ("The agency of {who} confirmed the news on {day}; more details will follow.",
              "{who} shared the plans with fans on {day}, according to a statement.")
KO_SUMMARY = ("{who}의 소속사는 {day} 이 같은 소식을 전했다.",
              "{who} 측은 {day} 공식 입장을 통해 이를 알렸다.")
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DAYS_KO = ["월요일", "화요일", "수요일", "목요일", "금요일"]


def fill(rng, ko, base=None, change=None):
    """Slot values, from base with the slot change given a new value."""
    acts, groups, songs, cities, shows = ((KO_ACTS, KO_GROUPS, KO_SONGS, KO_CITIES, KO_SHOWS) if ko
                                          else (EN_ACTS, EN_GROUPS, EN_SONGS, EN_CITIES, EN_SHOWS))
    v = dict(base) if base else {}
    def pick(k):
        if k == "act":
            mg, m = rng.choice(acts)
            if base and change == "act":
                while (mg, m) == (v["mg"], v["m"]):
                    mg, m = rng.choice(acts)
            v["mg"], v["m"] = mg, m
        elif k == "n":
            n = rng.randint(2, 9)
            while base and n == v.get("n"):
                n = rng.randint(2, 9)
            v["n"] = n
        else:
            seq = {"g": groups, "s": songs, "c": cities, "w": shows, "mo": EN_MONTHS}[k]
            x = rng.choice(seq)
            while base and x == v.get(k):
                x = rng.choice(seq)
            v[k] = x
    if not base:
        for k in ("act", "n", "g", "s", "c", "w", "mo"):
            pick(k)
    else:
        pick(change)
    return v


def slots(t):
    out = []
    for k, key in (("{m}", "act"), ("{g}", "g"), ("{s}", "s"), ("{n}", "n"), ("{c}", "c"),
                   ("{w}", "w"), ("{mo}", "mo")):
        if k in t:
            out.append(key)
    return out


def summary(rng, ko, t, v, on, outlet):
    """Outlet 0 or 1's summary of headline template t filled with v ("" when not on)."""
    if not on:
        return ""
    if "{m}" in t:
        who = ("%s %s" if ko else "%s member %s") % (v["mg"], v["m"])
    elif "{g}" in t:
        who = v["g"]
    else:
        who = "'%s'" % v["w"]
    day = rng.choice(DAYS_KO if ko else DAYS_EN)
    return (KO_SUMMARY if ko else EN_SUMMARY)[outlet].format(who=who, day=day)


def main():
    rng = random.Random(22)
    seen = set()

    def emit(label, ta, sa, tb, sb):
        if (ta, tb) in seen:  # a filling drawn twice
            return
        seen.add((ta, tb))
        print("%d\t%s\t%s\t%s\t%s" % (label, ta, sa, tb, sb))

    print("# Generated by tools/gen-cluster-pairs.py: do not edit (see its header).")
    print("# label<TAB>title A<TAB>summary A<TAB>title B<TAB>summary B; 1 same story, 0 not")
    for a, b in ISSUE:
        print("0\t%s\t\t%s\t" % (a, b))
    for ko, diff in ((False, EN_DIFF), (True, KO_DIFF)):
        for t in diff:
            for rep in range(5):
                v = fill(rng, ko)
                ch = slots(t)[rep % len(slots(t))]
                w = fill(rng, ko, v, ch)
                on = rep % 2 == 1
                emit(0, t.format(**v), summary(rng, ko, t, v, on, 0),
                     t.format(**w), summary(rng, ko, t, w, on, 0))
    for ko, same in ((False, EN_SAME), (True, KO_SAME)):
        for ta, tb in same:
            for rep in range(6):
                v = fill(rng, ko)
                on = rep % 2 == 1
                emit(1, ta.format(**v), summary(rng, ko, ta, v, on, 0),
                     tb.format(**v), summary(rng, ko, tb, v, on, 1))


if __name__ == "__main__":
    sys.exit(main())
