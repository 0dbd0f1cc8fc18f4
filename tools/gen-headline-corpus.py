#!/usr/bin/env python3
"""gen-headline-corpus.py - writes the headline corpus that the word weights
of story clustering are learned from (tools/gen-dedupe-weights.py reads it).

    python3 tools/gen-headline-corpus.py tools/corpus

Entertainment headlines are templates: who + does what + which work, how
many, where, when. This script fills a few hundred such templates (English
and Korean, written from the shapes of real K-pop, film and TV headlines)
with many artists, works, numbers, places and dates, seeded, so the output
is the same on every run. What the weights learn from it is which words are
template words (frequent across many headlines: "to hold", "tops",
"개최", "발매") and which are not; the names themselves are spread over
hundreds of fillers, so none of them becomes frequent. The names, songs
and places here are deliberately not those of tests/data/clusters/: the
tests measure names the table has never seen.
"""
import os
import random
import sys

ARTISTS = ("Ateez Enhypen Itzy Nmixx Riize Kiss-of-Life Babymonster Treasure Mamamoo Oneus "
           "Everglow Dreamcatcher Monsta-X Shinee Exo Got7 Apink Winner Ikon Victon Cravity "
           "Tempest Xikers Boynextdoor Tws Zerobaseone Plave Qwer Fromis-9 Weeekly Billlie "
           "Kep1er Viviz Loona Oh-My-Girl Red-Velvet Girls-Generation Super-Junior Highlight "
           "Btob Infinite Pentagon Sf9 Astro Nct-127 Nct-Dream WayV Wonho Taemin Baekhyun Kai "
           "Taeyeon Sunmi Chungha Hwasa Jessi Zico Dean Crush Heize Younha Bibi Lee-Hi "
           "Ailee Sandara Hyuna Dawn Key Onew Minho Yuqi Soyeon Miyeon Yena Yuri Chaeyeon "
           "Hyunjin Felix Bangchan Hongjoong Yeosang Wooyoung Jake Heeseung Sunghoon Ni-ki "
           "Karina-Yoo Beomgyu Soobin Yeonjun Taehyun Huening-Kai Mingyu Wonwoo Hoshi Dokyeom "
           "Seungkwan Vernon Dino Woozi Jeonghan Joshua Jun The8 Jihyo Momo Sana Dahyun Chaeyoung "
           "Tzuyu Mina Jeongyeon Ryujin Yeji Lia Chaeryeong Haewon Sullyoon Lily Jiwoo Kyujin "
           "Olivia-Marsh Harry-Stiles Dua-Lime Ariana-Grove Billie-Eyles Sabrina-Carr "
           "Chappell-Rowe Doja-Kat Sza-Reed Lana-Rey Adele-Moss Coldwind Imagine-Lions "
           "Post-Malin The-Weekenders Bruno-Marz Ed-Sherwin Justin-Beaver Shawn-Mendel "
           "Rosa-Lindqvist Karol-Gee Bad-Bunnie Peso-Plumas Feid-Ruiz Rauw-Alejo").split()
WORKS = ("Echoes Midnight-Blue Paradise-Lost Starlight Daydream Firework Gravity Mirage "
         "Neon-City Afterglow Blossom Thunder Ocean-Eyes Wildfire Crystal Moonlight Voyage "
         "Hurricane Velvet Serenade Phoenix Eclipse Horizon Prism Stardust Kaleidoscope "
         "Butterfly-Effect Silver-Lining Golden-Hour Black-Swan Red-Moon Blue-Hour "
         "Dear-Diary Hello-Future Run-Away Fly-High Love-Dive Bad-Idea Like-Crazy "
         "Queen-of-Hearts Crash-Landing Hometown Moving Signal Kingdom Sweet-Dreams "
         "Hospital-Playlist Extraordinary-Attorney Mr-Sunshine Vincenzo Itaewon Reply "
         "Goblin Descendants Penthouse Sky-Castle Parasite Minari Decision Broker "
         "Exhuma Concrete-Utopia Smugglers Handsome-Guys Hijack Harbin Firefighters").split()
PLACES = ("Tokyo Osaka Bangkok Jakarta Manila Singapore Taipei Hong-Kong Sydney Melbourne "
          "London Paris Berlin Madrid Amsterdam Los-Angeles New-York Chicago Atlanta Dallas "
          "Toronto Mexico-City Sao-Paulo Busan Incheon Daegu Gwangju Nagoya Fukuoka "
          "Saitama Yokohama Macau Kuala-Lumpur Hanoi Dubai Riyadh").split()
MONTHS = ("January February March April May June July August September October November "
          "December").split()
OUTLETS = "Netflix Disney+ Hulu Max Prime-Video Tving Wavve Coupang-Play Apple-TV+ Paramount+".split()
CHARTS = "Billboard-200 Hot-100 Oricon Melon Circle Genie Bugs UK-Albums iTunes Spotify".split()
AWARDS = ("Golden-Disc MAMA Melon-Music-Awards Seoul-Music-Awards Grammys VMAs AMAs "
          "Baeksang Blue-Dragon Emmys Oscars BAFTA Golden-Globes").split()

EN = [
    "{a} to hold fan meeting in {p} in {m}",
    "{a} announces fan meeting tour across Asia",
    "{a} to release {o} album '{w}' in {m}",
    "{a} releases new single '{w}'",
    "{a} drops music video for '{w}'",
    "{a} unveils tracklist for upcoming album '{w}'",
    "{a} shares teaser images for comeback with '{w}'",
    "{a} confirms comeback date in {m}",
    "{a} tops {c} chart with '{w}'",
    "{a}'s '{w}' debuts at No. {n} on {c}",
    "{a}'s '{w}' passes {n} million streams on Spotify",
    "{a}'s '{w}' music video surpasses {n} million views",
    "{a} wins first music show trophy with '{w}'",
    "{a} takes {o} win on music show with '{w}'",
    "{a} to embark on world tour in {m}",
    "{a} adds {n} new dates to world tour",
    "{a} announces {p} concert for {m}",
    "{a} sells out {n} shows in {p}",
    "{a} to star in new drama '{w}'",
    "{a} cast as lead in film '{w}'",
    "{a} confirmed to join cast of '{w}' season {n}",
    "{a} in talks to star in {s} series '{w}'",
    "{s} renews '{w}' for season {n}",
    "{s} confirms release date for '{w}' season {n}",
    "'{w}' tops {s} global chart for {o} week",
    "'{w}' crosses {n} million viewers at box office",
    "'{w}' leads box office for {o} weekend",
    "{a} enlists for mandatory military service",
    "{a} completes military service and returns",
    "{a} signs with new agency after contract ends",
    "{a} renews contract with agency",
    "{a} named global ambassador for luxury brand",
    "{a} wins best new artist at {aw}",
    "{a} takes home {n} trophies at {aw}",
    "{a} nominated for {n} awards at {aw}",
    "{a} to perform at {aw} in {p}",
    "{a} to headline festival in {p}",
    "{a} breaks record with {n} million preorders",
    "{a}'s album sells {n} million copies in first week",
    "{a} celebrates {o} anniversary with fans",
    "{a} to make solo debut in {m}",
    "{a} announces hiatus due to health concerns",
    "{a} apologizes for controversy",
    "{a} agency denies dating rumors",
    "{a} and {a2} confirmed to be dating",
    "{a} collaborates with {a2} on new single '{w}'",
    "{a} to appear on variety show in {m}",
    "{a} opens up about new album in interview",
    "{a} returns with {o} mini album '{w}'",
    "{a} set to release {o} full-length album",
    "{a} launches official fan club",
    "{a} reveals concept photos for '{w}'",
    "{a}'s '{w}' enters top {n} of {c}",
    "{a} becomes first K-pop act to top {c}",
    "{a} earns {o} No. 1 on {c}",
    "{a} postpones concerts in {p}",
    "{a} cancels tour dates due to injury",
    "{a} donates to charity for flood victims",
    "{a} to guest star in '{w}'",
    "{a} joins lineup of music festival in {p}",
    "'{w}' director confirms sequel",
    "'{w}' wins best drama at {aw}",
    "Ratings: '{w}' hits record high in {o} episode",
    "{a} and {a2} to co-star in romantic comedy '{w}'",
    "{a} welcomes first child",
    "{a} announces marriage",
    "{a} to hold concert at stadium in {p}",
    "{a} releases special digital single for fans",
    "{a} announced as new member of variety show",
    "Watch: {a} performs '{w}' on music show",
]
KO = [
    "{a}, {m} {p} 팬미팅 개최",
    "{a}, {m} 미니 {n}집 '{w}'로 컴백",
    "{a}, 신곡 '{w}' 뮤직비디오 공개",
    "{a}, '{w}' 음원차트 1위",
    "{a}, 음악방송 {n}관왕 달성",
    "{a}, 음악방송 첫 1위…'{w}' 인기",
    "{a}, {m} 정규 {n}집 발매 확정",
    "{a}, 새 앨범 '{w}' 트랙리스트 공개",
    "{a}, 컴백 티저 이미지 공개",
    "{a}, 월드투어 '{w}' 개최 확정",
    "{a}, {p} 콘서트 전석 매진",
    "{a}, {p} 공연 추가 개최",
    "{a}, 드라마 '{w}' 주연 캐스팅",
    "{a}, 영화 '{w}' 출연 확정",
    "{a}, 새 예능 출연 확정",
    "'{w}', 시청률 {n}% 돌파…자체 최고",
    "'{w}', 개봉 {n}일 만에 100만 관객 돌파",
    "'{w}', 넷플릭스 글로벌 {n}위",
    "{a}, 오늘 입대…현역 복무",
    "{a}, 오늘 전역…팬들에 감사 인사",
    "{a}, 소속사와 재계약 체결",
    "{a}, 새 소속사와 전속계약",
    "{a}, 글로벌 앰버서더 발탁",
    "{a}, {aw} 신인상 수상",
    "{a}, {aw} 대상 영예",
    "{a}, 빌보드 200 {n}위 진입",
    "{a}, 빌보드 핫100 차트인",
    "{a}, 오리콘 주간 차트 1위",
    "{a}, 선주문 {n}만장 돌파",
    "{a}, 초동 {n}만장 기록",
    "{a}, 데뷔 {n}주년 기념 팬미팅",
    "{a}, {m} 솔로 데뷔 확정",
    "{a}, 건강상 이유로 활동 중단",
    "{a} 측 \"열애설 사실무근\"",
    "{a}·{a2}, 열애 인정",
    "{a}, {a2}와 컬래버 신곡 '{w}' 발표",
    "{a}, 유튜브 조회수 {n}억뷰 돌파",
    "{a}, 스포티파이 {n}억 스트리밍 돌파",
    "{a}, 단독 콘서트 개최…{p} 공연",
    "{a}, 뮤직비디오 {n}억뷰 돌파",
    "{a}, 기부 선행…수재민 돕기",
    "{a}, 결혼 발표…\"평생 함께\"",
    "{a}, 첫 아이 출산",
    "{a}, 콘서트 연기…부상 여파",
    "{a}, 페스티벌 헤드라이너 출격",
    "{a}, 첫 단독 월드투어 나선다",
    "{a}, 컴백 앞두고 콘셉트 포토 공개",
    "{a}, 신곡 무대 최초 공개",
    "{a}, 예능서 솔직 입담",
    "'{w}' 시즌{n} 제작 확정",
    "{a}, 인터뷰서 새 앨범 소개",
    "{a}, 日 돔 투어 개최",
    "{a}, 美 투어 일정 발표",
]
KO_ARTISTS = ("에이티즈 엔하이픈 있지 엔믹스 라이즈 키스오브라이프 베이비몬스터 트레저 마마무 "
              "원어스 에버글로우 드림캐쳐 몬스타엑스 샤이니 엑소 갓세븐 에이핑크 위너 아이콘 "
              "빅톤 크래비티 템페스트 싸이커스 보이넥스트도어 투어스 제로베이스원 플레이브 "
              "프로미스나인 위클리 빌리 케플러 비비지 이달의소녀 오마이걸 레드벨벳 소녀시대 "
              "슈퍼주니어 하이라이트 비투비 인피니트 펜타곤 아스트로 태민 백현 카이 태연 "
              "선미 청하 화사 제시 지코 크러쉬 헤이즈 윤하 비비 이하이 에일리 산다라박 "
              "현아 키 온유 민호 우기 소연 미연 최예나 유리 이채연 현진 필릭스 방찬 "
              "홍중 우영 제이크 희승 성훈 니키 범규 수빈 연준 태현 휴닝카이 민규 원우 "
              "호시 도겸 승관 버논 디노 우지 정한 조슈아 지효 모모 사나 다현 채영 쯔위 "
              "미나 정연 류진 예지 리아 채령 해원 설윤 릴리 지우 규진 김태리 박보검 "
              "송중기 이도현 김고은 전지현 손예진 현빈 공유 이병헌 마동석 황정민 "
              "박서준 한소희 김수현 김지원 변우석 정해인 차은우 수지 박은빈 이준호 "
              "임윤아 이세영 남궁민 안효섭 김혜윤 고윤정 로운 이종석 아이유").split()
KO_WORKS = ("메아리 한밤 낙원 별빛 백일몽 불꽃 중력 신기루 잔광 꽃망울 천둥 바다 들불 "
            "수정 달빛 항해 태풍 세레나데 불사조 일식 지평선 프리즘 별가루 나비효과 "
            "골든아워 블랙스완 붉은달 푸른시간 일기장 미래에게 달려 날아 사랑의불시착 "
            "고향 무빙 시그널 킹덤 슬기로운생활 이상한변호사 미스터선샤인 빈센조 이태원 "
            "응답하라 도깨비 태양의후예 펜트하우스 스카이캐슬 기생충 헤어질결심 파묘 "
            "콘크리트유토피아 밀수 핸섬가이즈 하이재킹 하얼빈 소방관 선재업고튀어 "
            "눈물의여왕 정년이 지옥 오징어게임 더글로리 경성크리처 살인자ㅇ난감").split()
KO_PLACES = ("도쿄 오사카 방콕 자카르타 마닐라 싱가포르 타이베이 홍콩 시드니 런던 파리 "
             "베를린 마드리드 LA 뉴욕 시카고 애틀랜타 토론토 부산 인천 대구 광주 나고야 "
             "후쿠오카 사이타마 요코하마 마카오 쿠알라룸푸르 하노이 두바이 고척돔 "
             "올림픽공원 잠실 KSPO돔 인스파이어아레나").split()
KO_AWARDS = "골든디스크 마마 멜론뮤직어워드 서울가요대상 백상예술대상 청룡영화상 한터뮤직어워즈".split()
# People: many generated names, so that no one name is frequent (a real
# corpus names thousands of people).
FIRST_EN = ("Adam Bella Carlos Dana Elena Felix Grace Hugo Iris Jonah Kara Leo Maya Nico Olga "
            "Pablo Quinn Rosa Sami Tara Uma Victor Wes Xena Yara Zane").split()
LAST_EN = ("Abbott Barrow Castell Dunmore Ellery Fairholt Garrick Hale Ingram Jarvis Kessler "
           "Lomax Marlow Norcross Oakes Pruitt Quarles Radley Stroud Tolliver").split()
SUR_KO = "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 홍".split()
GIVEN_KO = "민 서 지 현 수 우 준 도 예 하 윤 은 채 승 태 재 영 주 아 유".split()
ORD = ("first second third fourth fifth sixth seventh eighth ninth tenth").split()


def people(rng):
    en = ["%s-%s" % (f, l) for f in FIRST_EN for l in LAST_EN]
    ko = sorted(set(s + a + b for s in SUR_KO for a in GIVEN_KO for b in GIVEN_KO if a != b))
    return rng.sample(en, 300), rng.sample(ko, 300)


def fill(rng, t, ko):
    def name(seq):
        return rng.choice(seq).replace("-", " ")
    if ko:
        a, a2 = rng.sample(KO_ARTISTS, 2)
        return t.format(a=a, a2=a2, w=rng.choice(KO_WORKS), p=rng.choice(KO_PLACES),
                        m="%d월" % rng.randint(1, 12), n=rng.randint(1, 30),
                        aw=rng.choice(KO_AWARDS))
    a, a2 = rng.sample(ARTISTS, 2)
    return t.format(a=a.replace("-", " "), a2=a2.replace("-", " "), w=name(WORKS),
                    p=name(PLACES), m=rng.choice(MONTHS), n=rng.randint(2, 40),
                    o=rng.choice(ORD), s=name(OUTLETS), c=name(CHARTS), aw=name(AWARDS))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tools/corpus"
    en, ko = people(random.Random(1))
    ARTISTS.extend(en)
    KO_ARTISTS.extend(ko)
    os.makedirs(out, exist_ok=True)
    for lang, templates in (("en", EN), ("ko", KO)):
        rng = random.Random(22)
        lines = [fill(rng, rng.choice(templates), lang == "ko") for _ in range(40 * len(templates))]
        with open(os.path.join(out, "headlines-%s.txt" % lang), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
