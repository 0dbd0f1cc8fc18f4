<?xml version="1.0" encoding="UTF-8"?>
<!--
  digest-text.xsl - the text/plain part of the digest mail.

  Input: the digest document, an Atom feed like publishing's planet whose
  entries are already grouped by category (agg:category) and newest first
  in each group. Each story gets a number; the links are listed at the end
  as "[N] URL". Lines are written long: aggregator wraps them at 72 columns
  after the transform (continuation lines hang under "[N] "), so this file
  only decides what is said, not where lines break.

  Parameters (strings): site_name, site_link, profile, date, since, until,
  count, list_unsubscribe, archive_url, generated, language ("en" or
  "ko": the words from messages.xsl).
  Copy this file (and common.xsl, messages.xsl) to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    exclude-result-prefixes="atom agg">

  <xsl:import href="common.xsl"/>
  <xsl:import href="messages.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="profile" select="''"/>
  <xsl:param name="date" select="''"/>
  <xsl:param name="since" select="''"/>
  <xsl:param name="until" select="''"/>
  <!-- The number of stories (the "count" parameter says the same). -->
  <xsl:variable name="stories" select="count(/atom:feed/atom:entry)"/>
  <xsl:param name="list_unsubscribe" select="''"/>
  <xsl:param name="archive_url" select="''"/>

  <xsl:variable name="nl" select="'&#10;'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="atom:feed"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:choose>
      <xsl:when test="$site_name != ''"><xsl:value-of select="$site_name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat(' - ', $date, $nl)"/>
    <xsl:choose>
      <xsl:when test="atom:entry">
        <xsl:call-template name="msg"><xsl:with-param name="key" select="'n-stories'"/><xsl:with-param name="n" select="$stories"/></xsl:call-template>
        <xsl:value-of select="$nl"/>
        <xsl:apply-templates select="atom:entry"/>
        <xsl:value-of select="$nl"/>
        <xsl:call-template name="msg"><xsl:with-param name="key" select="'links'"/></xsl:call-template>
        <xsl:value-of select="concat(':', $nl)"/>
        <xsl:apply-templates select="atom:entry" mode="link"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$nl"/>
        <xsl:call-template name="msg"><xsl:with-param name="key" select="'digest-nothing'"/></xsl:call-template>
        <xsl:value-of select="$nl"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat($nl, '-- ', $nl)"/>
    <xsl:if test="$archive_url != ''">
      <xsl:call-template name="msg"><xsl:with-param name="key" select="'read-on-web'"/></xsl:call-template>
      <xsl:value-of select="concat(': ', $archive_url, $nl)"/>
    </xsl:if>
    <xsl:if test="$site_link != ''">
      <xsl:call-template name="msg"><xsl:with-param name="key" select="'all-stories'"/></xsl:call-template>
      <xsl:value-of select="concat(': ', $site_link, $nl)"/>
    </xsl:if>
    <xsl:if test="$list_unsubscribe != ''">
      <xsl:call-template name="msg"><xsl:with-param name="key" select="'unsubscribe'"/></xsl:call-template>
      <xsl:value-of select="concat(': ', $list_unsubscribe, $nl)"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="n" select="count(preceding-sibling::atom:entry) + 1"/>
    <xsl:if test="not(preceding-sibling::atom:entry[1]/agg:category = agg:category)">
      <xsl:value-of select="concat($nl, '== ', agg:category, ' ==', $nl)"/>
    </xsl:if>
    <xsl:value-of select="concat($nl, '[', $n, '] ', normalize-space(atom:title), $nl)"/>
    <xsl:text>    </xsl:text>
    <xsl:if test="normalize-space(atom:source/atom:title) != ''">
      <xsl:value-of select="concat(normalize-space(atom:source/atom:title), ', ')"/>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="agg:local">
        <xsl:call-template name="local-date">
          <xsl:with-param name="date" select="agg:local"/>
          <xsl:with-param name="abbr" select="agg:local/@zone"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="human-date">
          <xsl:with-param name="date" select="atom:updated"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="$nl"/>
    <xsl:variable name="excerpt" select="normalize-space(agg:excerpt)"/>
    <xsl:if test="$excerpt != ''">
      <xsl:text>    </xsl:text>
      <xsl:choose>
        <xsl:when test="string-length($excerpt) &gt; 280">
          <xsl:value-of select="concat(substring($excerpt, 1, 277), '...')"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$excerpt"/></xsl:otherwise>
      </xsl:choose>
      <xsl:value-of select="$nl"/>
    </xsl:if>
    <xsl:if test="agg:also">
      <xsl:text>    </xsl:text>
      <xsl:call-template name="msg"><xsl:with-param name="key" select="'also-reported'"/></xsl:call-template>
      <xsl:value-of select="concat(':', $nl)"/>
      <xsl:for-each select="agg:also">
        <xsl:text>    - </xsl:text>
        <xsl:if test="normalize-space(@source) != ''">
          <xsl:value-of select="concat(normalize-space(@source), ': ')"/>
        </xsl:if>
        <xsl:value-of select="normalize-space(.)"/>
        <xsl:variable name="href">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="@href"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:if test="$href != ''">
          <xsl:value-of select="concat($nl, '      ', $href)"/>
        </xsl:if>
        <xsl:value-of select="$nl"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template match="atom:entry" mode="link">
    <xsl:variable name="link">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:if test="$link != ''">
      <xsl:value-of
          select="concat('[', count(preceding-sibling::atom:entry) + 1, '] ', $link, $nl)"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
