<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl - named templates shared by atom.xsl, rss.xsl and html.xsl
  (pulled in with xsl:import, which resolves relative to the importing
  file: when you copy a template to your templates directory, copy this
  file beside it too).

  The input of every template is the aggregator's "planet" document: an
  Atom 1.0 feed (namespace prefix "atom" here) whose entries carry their
  origin in atom:source, plus facts in the aggregator namespace ("agg"):
  agg:categories (site navigation), agg:excerpt, (media:thumbnail, Media RSS),
  agg:comments, agg:category, agg:first-seen, agg:date-is-seen, and from
  publish.c agg:in (@name, @slug: every category the entry is filed in),
  agg:local (its time in the configured zone, "2024-05-01T21:00:00+09:00")
  and agg:ago (seconds before the newest entry of the same document; the
  page's "now", so that pages change only when their stories do; @zone:
  the zone's abbreviation, "KST", when it has one) and agg:page (the path
  of the story's own page from the site's top, when it has one). The feed
  head has agg:updated-local; sources.html's document has agg:sources, a
  story page's agg:related (its related stories) and archive.html's
  agg:archive (the day pages).
  Atom dates are always RFC 3339 in UTC ("2024-05-01T12:00:00Z").

  Feed content is untrusted: it is always output as text (escaped by the
  XSLT processor). Never use disable-output-escaping on it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    exclude-result-prefixes="atom agg">

  <!-- Parameters that publish.c passes to every template (all strings). -->
  <xsl:param name="site_name" select="''"/>
  <xsl:param name="site_link" select="''"/>
  <xsl:param name="home_url" select="''"/>
  <xsl:param name="page_url" select="''"/>
  <xsl:param name="self_url" select="''"/>
  <xsl:param name="category" select="''"/>
  <xsl:param name="category_slug" select="''"/>
  <xsl:param name="root" select="''"/>
  <xsl:param name="timezone" select="'UTC'"/>
  <!-- When this publish ran. Printing it would change every file on every run. -->
  <xsl:param name="generated" select="''"/>
  <xsl:param name="feed_atom_url" select="'atom.xml'"/>
  <xsl:param name="feed_rss_url" select="'rss.xml'"/>
  <xsl:param name="feed_json_url" select="'feed.json'"/>
  <!-- "home", "category", "day", "story", "archive" or "sources". -->
  <xsl:param name="page" select="'home'"/>
  <!-- Relative path from the page to the feeds it advertises ("" or "../../"). -->
  <xsl:param name="feeds" select="''"/>
  <!-- The WebSub hub URL, or "". -->
  <xsl:param name="hub" select="''"/>
  <!-- Day pages: "2024-05-01", and the neighbours' paths from $root ("2024/04/30.html"). -->
  <xsl:param name="day" select="''"/>
  <xsl:param name="prev_day" select="''"/>
  <xsl:param name="next_day" select="''"/>
  <!-- The archive index (archive.html), as a path from $root, or "" when there is none. -->
  <xsl:param name="archive" select="''"/>
  <!-- The zone's abbreviation now ("KST"), or "" when it has none. -->
  <xsl:param name="zone" select="''"/>

  <!--
    Languages. An entry's language is its own xml:lang, else the one it
    inherits (publish.c gives each entry its own, else its source feed's).
    $feed_lang is the language every entry of the document shares, or ""
    when they differ or one has none (an empty document: the feed's own
    xml:lang): what Atom's feed xml:lang, RSS <language> and JSON Feed's
    top-level language say.
  -->
  <xsl:variable name="first_lang">
    <xsl:choose>
      <xsl:when test="/atom:feed/atom:entry">
        <xsl:value-of select="(/atom:feed/atom:entry[1]/ancestor-or-self::*/@xml:lang)[last()]"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="/atom:feed/@xml:lang"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="feed_lang">
    <xsl:if test="$first_lang != '' and not(/atom:feed/atom:entry[string((ancestor-or-self::*/@xml:lang)[last()]) != $first_lang])">
      <xsl:value-of select="$first_lang"/>
    </xsl:if>
  </xsl:variable>

  <!-- The context entry's language, or "". -->
  <xsl:template name="entry-lang">
    <xsl:value-of select="(ancestor-or-self::*/@xml:lang)[last()]"/>
  </xsl:template>

  <!-- "2024-05-01T12:00:00Z" -> "Wed, 01 May 2024 12:00:00 +0000" (RFC 822, for RSS). -->
  <xsl:template name="rfc822">
    <xsl:param name="date"/>
    <xsl:variable name="y" select="number(substring($date, 1, 4))"/>
    <xsl:variable name="m" select="number(substring($date, 6, 2))"/>
    <xsl:variable name="d" select="number(substring($date, 9, 2))"/>
    <xsl:if test="string-length($date) &gt;= 19 and $m &gt;= 1 and $m &lt;= 12 and $d &gt;= 1">
      <!-- Sakamoto's day of the week: 0 = Sunday. -->
      <xsl:variable name="yy" select="$y - number($m &lt; 3)"/>
      <xsl:variable name="dow"
          select="($yy + floor($yy div 4) - floor($yy div 100) + floor($yy div 400)
                   + number(substring('032503514624', $m, 1)) + $d) mod 7"/>
      <xsl:value-of select="substring('SunMonTueWedThuFriSat', $dow * 3 + 1, 3)"/>
      <xsl:text>, </xsl:text>
      <xsl:value-of select="substring($date, 9, 2)"/>
      <xsl:text> </xsl:text>
      <xsl:value-of select="substring('JanFebMarAprMayJunJulAugSepOctNovDec', ($m - 1) * 3 + 1, 3)"/>
      <xsl:text> </xsl:text>
      <xsl:value-of select="substring($date, 1, 4)"/>
      <xsl:text> </xsl:text>
      <xsl:value-of select="substring($date, 12, 8)"/>
      <xsl:text> +0000</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- "2024-05-01T12:00:00Z" -> "2024-05-01 12:00 UTC" (for people). -->
  <xsl:template name="human-date">
    <xsl:param name="date"/>
    <xsl:value-of select="concat(substring($date, 1, 10), ' ', substring($date, 12, 5), ' UTC')"/>
  </xsl:template>

  <!-- "2024-05-01T21:00:00+09:00" -> "2024-05-01 21:00 +09:00", or "... KST" when the
       zone's abbreviation is given (agg:local/@zone); a UTC time -> "... UTC". -->
  <xsl:template name="local-date">
    <xsl:param name="date"/>
    <xsl:param name="abbr" select="''"/>
    <xsl:variable name="zone" select="substring($date, 20)"/>
    <xsl:value-of select="concat(substring($date, 1, 10), ' ', substring($date, 12, 5), ' ')"/>
    <xsl:choose>
      <xsl:when test="string($abbr) != ''"><xsl:value-of select="$abbr"/></xsl:when>
      <xsl:when test="$zone = 'Z' or $zone = ''">UTC</xsl:when>
      <xsl:otherwise><xsl:value-of select="$zone"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Seconds -> "latest", "5 min before the latest", "3 h before the latest", .... -->
  <xsl:template name="relative-time">
    <xsl:param name="seconds"/>
    <xsl:variable name="s" select="number($seconds)"/>
    <xsl:choose>
      <xsl:when test="not($s &gt;= 0)"/>
      <xsl:when test="$s &lt; 60">the latest</xsl:when>
      <xsl:when test="$s &lt; 3600"><xsl:value-of select="floor($s div 60)"/> min before the latest</xsl:when>
      <xsl:when test="$s &lt; 86400"><xsl:value-of select="floor($s div 3600)"/> h before the latest</xsl:when>
      <xsl:when test="$s &lt; 172800">1 day before the latest</xsl:when>
      <xsl:otherwise><xsl:value-of select="floor($s div 86400)"/> days before the latest</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Non-empty when url is http(s): the only links a page or feed may carry. -->
  <xsl:template name="safe-url">
    <xsl:param name="url"/>
    <xsl:variable name="lower"
        select="translate(normalize-space(substring($url, 1, 8)), 'HTPS', 'htps')"/>
    <xsl:if test="starts-with($lower, 'http://') or starts-with($lower, 'https://')">
      <xsl:value-of select="normalize-space($url)"/>
    </xsl:if>
  </xsl:template>

  <!-- The entry's main link. -->
  <xsl:template name="entry-link">
    <xsl:param name="entry" select="."/>
    <xsl:call-template name="safe-url">
      <xsl:with-param name="url"
          select="($entry/atom:link[@rel='alternate' or not(@rel)])[1]/@href"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The entry's HTML: content, else summary (an escaped string, as Atom carries it). -->
  <xsl:template name="entry-html">
    <xsl:param name="entry" select="."/>
    <xsl:choose>
      <xsl:when test="normalize-space($entry/atom:content) != ''">
        <xsl:value-of select="$entry/atom:content"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$entry/atom:summary"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
