<?xml version="1.0" encoding="UTF-8"?>
<!--
  messages.xsl - the words of the pages' interface, in English and Korean.
  html.xsl and the digest's templates (digest-html.xsl, digest-text.xsl)
  import it; $language (the config's `language`, "en" or "ko") picks the
  table. To add a language, add a column: one xsl:when per key
  below, and the language's weekday and date forms at the end; to change
  a word, copy this file to your templates directory beside html.xsl.

  "msg" gives one message by key. A few take a number ($n) and say it in
  the language's own order ("3 sources", "출처 3곳").
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:param name="language" select="'en'"/>

  <xsl:template name="msg">
    <xsl:param name="key"/>
    <xsl:param name="n" select="0"/>
    <xsl:param name="name" select="''"/>
    <xsl:choose>
      <xsl:when test="$language = 'ko'">
        <xsl:choose>
          <xsl:when test="$key = 'all'">전체</xsl:when>
          <xsl:when test="$key = 'archive'">지난 기사</xsl:when>
          <xsl:when test="$key = 'sources'">출처</xsl:when>
          <xsl:when test="$key = 'categories'">분류</xsl:when>
          <xsl:when test="$key = 'latest'">최신 기사</xsl:when>
          <xsl:when test="$key = 'latest-story'">최근 기사: </xsl:when>
          <xsl:when test="$key = 'more-in'"><xsl:value-of select="$name"/> 더 보기</xsl:when>
          <xsl:when test="$key = 'no-stories'">아직 기사가 없습니다.</xsl:when>
          <xsl:when test="$key = 'earlier-day'">← 이전 날</xsl:when>
          <xsl:when test="$key = 'later-day'">다음 날 →</xsl:when>
          <xsl:when test="$key = 'n-sources'">출처 <xsl:value-of select="$n"/>곳</xsl:when>
          <xsl:when test="$key = 'n-stories'">기사 <xsl:value-of select="$n"/>건</xsl:when>
          <xsl:when test="$key = 'n-feeds'">피드 <xsl:value-of select="$n"/>개</xsl:when>
          <xsl:when test="$key = 'read-original'"><xsl:value-of select="$name"/>에서 기사 전문 읽기 →</xsl:when>
          <xsl:when test="$key = 'read-original-plain'">기사 전문 읽기 →</xsl:when>
          <xsl:when test="$key = 'also-reported'">같은 소식을 전한 매체</xsl:when>
          <xsl:when test="$key = 'related'">관련 기사</xsl:when>
          <xsl:when test="$key = 'feeds'">피드: </xsl:when>
          <xsl:when test="$key = 'times-are'">시간은 <xsl:value-of select="$name"/> 기준입니다.</xsl:when>
          <xsl:when test="$key = 'never'">없음</xsl:when>
          <xsl:when test="$key = 'last-success'">마지막 성공</xsl:when>
          <xsl:when test="$key = 'ok'">정상</xsl:when>
          <xsl:when test="$key = 'not-fetched'">아직 가져오지 않음</xsl:when>
          <xsl:when test="$key = 'gone'">없어짐 (HTTP 410)</xsl:when>
          <xsl:when test="$key = 'dead'">중단: </xsl:when>
          <xsl:when test="$key = 'failures'"> (연속 <xsl:value-of select="$n"/>회 실패)</xsl:when>
          <xsl:when test="$key = 'feed'">피드</xsl:when>
          <xsl:when test="$key = 'audio'">오디오</xsl:when>
          <xsl:when test="$key = 'video'">동영상</xsl:when>
          <xsl:when test="$key = 'image'">이미지</xsl:when>
          <xsl:when test="$key = 'the-latest'">가장 최근</xsl:when>
          <xsl:when test="$key = 'min-before'">가장 최근보다 <xsl:value-of select="$n"/>분 전</xsl:when>
          <xsl:when test="$key = 'h-before'">가장 최근보다 <xsl:value-of select="$n"/>시간 전</xsl:when>
          <xsl:when test="$key = 'days-before'">가장 최근보다 <xsl:value-of select="$n"/>일 전</xsl:when>
          <xsl:when test="$key = 'archive-intro'">날짜를 고르면 그날의 기사를 볼 수 있습니다.</xsl:when>
          <xsl:when test="$key = 'digest-nothing'">지난 다이제스트 이후 새 기사가 없습니다.</xsl:when>
          <xsl:when test="$key = 'read-on-web'">웹에서 보기</xsl:when>
          <xsl:when test="$key = 'all-stories'">전체 기사</xsl:when>
          <xsl:when test="$key = 'unsubscribe'">수신 거부</xsl:when>
          <xsl:when test="$key = 'links'">링크</xsl:when>
          <xsl:when test="$key = 'digests'">다이제스트</xsl:when>
          <xsl:when test="$key = 'digests-intro'">메일로 보낸 다이제스트를 날짜별로 모았습니다.</xsl:when>
          <xsl:otherwise><xsl:value-of select="$key"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:choose>
          <xsl:when test="$key = 'all'">All</xsl:when>
          <xsl:when test="$key = 'archive'">Archive</xsl:when>
          <xsl:when test="$key = 'sources'">Sources</xsl:when>
          <xsl:when test="$key = 'categories'">Categories</xsl:when>
          <xsl:when test="$key = 'latest'">Latest</xsl:when>
          <xsl:when test="$key = 'latest-story'">Latest story: </xsl:when>
          <xsl:when test="$key = 'more-in'">More in <xsl:value-of select="$name"/></xsl:when>
          <xsl:when test="$key = 'no-stories'">No stories yet.</xsl:when>
          <xsl:when test="$key = 'earlier-day'">← Earlier day</xsl:when>
          <xsl:when test="$key = 'later-day'">Later day →</xsl:when>
          <xsl:when test="$key = 'n-sources'"><xsl:value-of select="$n"/> sources</xsl:when>
          <xsl:when test="$key = 'n-stories'">
            <xsl:value-of select="$n"/>
            <xsl:choose>
              <xsl:when test="$n = 1"> story</xsl:when>
              <xsl:otherwise> stories</xsl:otherwise>
            </xsl:choose>
          </xsl:when>
          <xsl:when test="$key = 'n-feeds'"><xsl:value-of select="$n"/> feeds.</xsl:when>
          <xsl:when test="$key = 'read-original'">Read the full article at <xsl:value-of select="$name"/> →</xsl:when>
          <xsl:when test="$key = 'read-original-plain'">Read the full article →</xsl:when>
          <xsl:when test="$key = 'also-reported'">Also reported by</xsl:when>
          <xsl:when test="$key = 'related'">Related articles</xsl:when>
          <xsl:when test="$key = 'feeds'">Feeds: </xsl:when>
          <xsl:when test="$key = 'times-are'">Times are <xsl:value-of select="$name"/>.</xsl:when>
          <xsl:when test="$key = 'never'">never</xsl:when>
          <xsl:when test="$key = 'last-success'">last success</xsl:when>
          <xsl:when test="$key = 'ok'">OK</xsl:when>
          <xsl:when test="$key = 'not-fetched'">not fetched yet</xsl:when>
          <xsl:when test="$key = 'gone'">gone (HTTP 410)</xsl:when>
          <xsl:when test="$key = 'dead'">DEAD: </xsl:when>
          <xsl:when test="$key = 'failures'"> (<xsl:value-of select="$n"/> failures in a row)</xsl:when>
          <xsl:when test="$key = 'feed'">feed</xsl:when>
          <xsl:when test="$key = 'audio'">Audio</xsl:when>
          <xsl:when test="$key = 'video'">Video</xsl:when>
          <xsl:when test="$key = 'image'">Image</xsl:when>
          <xsl:when test="$key = 'the-latest'">the latest</xsl:when>
          <xsl:when test="$key = 'min-before'"><xsl:value-of select="$n"/> min before the latest</xsl:when>
          <xsl:when test="$key = 'h-before'"><xsl:value-of select="$n"/> h before the latest</xsl:when>
          <xsl:when test="$key = 'days-before'">
            <xsl:choose>
              <xsl:when test="$n = 1">1 day before the latest</xsl:when>
              <xsl:otherwise><xsl:value-of select="$n"/> days before the latest</xsl:otherwise>
            </xsl:choose>
          </xsl:when>
          <xsl:when test="$key = 'archive-intro'">Pick a day to read its stories.</xsl:when>
          <xsl:when test="$key = 'digest-nothing'">Nothing new since the last digest.</xsl:when>
          <xsl:when test="$key = 'read-on-web'">Read it on the web</xsl:when>
          <xsl:when test="$key = 'all-stories'">All stories</xsl:when>
          <xsl:when test="$key = 'unsubscribe'">Unsubscribe</xsl:when>
          <xsl:when test="$key = 'links'">Links</xsl:when>
          <xsl:when test="$key = 'digests'">Digests</xsl:when>
          <xsl:when test="$key = 'digests-intro'">The digests sent by mail, by date.</xsl:when>
          <xsl:otherwise><xsl:value-of select="$key"/></xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- 0 = Sunday .. 6 = Saturday for a date "2024-05-01..." (Sakamoto's method). -->
  <xsl:template name="weekday-number">
    <xsl:param name="date"/>
    <xsl:variable name="y" select="number(substring($date, 1, 4))"/>
    <xsl:variable name="m" select="number(substring($date, 6, 2))"/>
    <xsl:variable name="d" select="number(substring($date, 9, 2))"/>
    <xsl:variable name="yy" select="$y - number($m &lt; 3)"/>
    <xsl:value-of select="($yy + floor($yy div 4) - floor($yy div 100) + floor($yy div 400)
                           + number(substring('032503514624', $m, 1)) + $d) mod 7"/>
  </xsl:template>

  <!-- The weekday's name: "Wednesday", "수요일"; short: "Wed", "수". -->
  <xsl:template name="weekday">
    <xsl:param name="date"/>
    <xsl:param name="short" select="false()"/>
    <xsl:variable name="w">
      <xsl:call-template name="weekday-number">
        <xsl:with-param name="date" select="$date"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$language = 'ko' and $short">
        <xsl:value-of select="substring('일월화수목금토', $w + 1, 1)"/>
      </xsl:when>
      <xsl:when test="$language = 'ko'">
        <xsl:value-of select="concat(substring('일월화수목금토', $w + 1, 1), '요일')"/>
      </xsl:when>
      <xsl:when test="$short">
        <xsl:value-of select="substring('SunMonTueWedThuFriSat', $w * 3 + 1, 3)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="abbr" select="substring('SunMonTueWedThuFriSat', $w * 3 + 1, 3)"/>
        <xsl:value-of select="concat($abbr, substring-before(substring-after(
            '|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|',
            concat('|', $abbr)), '|'))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A day as a heading: "Wednesday, 1 May 2024", "2024년 5월 1일 수요일". -->
  <xsl:template name="long-day">
    <xsl:param name="date"/>
    <xsl:variable name="wd">
      <xsl:call-template name="weekday">
        <xsl:with-param name="date" select="$date"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="m" select="number(substring($date, 6, 2))"/>
    <xsl:choose>
      <xsl:when test="$language = 'ko'">
        <xsl:value-of select="concat(substring($date, 1, 4), '년 ', $m, '월 ',
                                     number(substring($date, 9, 2)), '일 ', $wd)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat($wd, ', ', number(substring($date, 9, 2)), ' ')"/>
        <xsl:call-template name="month-name">
          <xsl:with-param name="month" select="$m"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', substring($date, 1, 4))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A month heading from "2024-05": "May 2024", "2024년 5월". -->
  <xsl:template name="long-month">
    <xsl:param name="date"/>
    <xsl:variable name="m" select="number(substring($date, 6, 2))"/>
    <xsl:choose>
      <xsl:when test="$language = 'ko'">
        <xsl:value-of select="concat(substring($date, 1, 4), '년 ', $m, '월')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="month-name">
          <xsl:with-param name="month" select="$m"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' ', substring($date, 1, 4))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="month-name">
    <xsl:param name="month"/>
    <xsl:value-of select="substring-before(substring-after(
        '|01January|02February|03March|04April|05May|06June|07July|08August|09September|10October|11November|12December|',
        concat('|', format-number($month, '00'))), '|')"/>
  </xsl:template>
</xsl:stylesheet>
