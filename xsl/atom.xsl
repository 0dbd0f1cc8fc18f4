<?xml version="1.0" encoding="UTF-8"?>
<!--
  atom.xsl - the planet document as the published Atom 1.0 feed (atom.xml).

  The planet document already is Atom: this copies it, sets the feed's
  rel="self" link to the URL of the file being written ($self_url), and
  drops agg:categories (site navigation, of no use to feed readers) and
  the page-only agg:updated-local, agg:local and agg:ago; adds
  rel="hub" when a WebSub hub is configured. The entries' languages
  (xml:lang) go on the feed when they all share one ($feed_lang), else
  stay on each entry. The
  other agg: elements stay: they are Atom extensions, which readers ignore.
  Copy this file to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="http://www.w3.org/2005/Atom"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    exclude-result-prefixes="atom">

  <xsl:import href="common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/atom:feed">
    <xsl:copy>
      <xsl:apply-templates select="@*"/>
      <xsl:if test="$feed_lang != ''">
        <xsl:attribute name="xml:lang"><xsl:value-of select="$feed_lang"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates select="*[not(self::atom:entry)]"/>
      <xsl:if test="$self_url != ''">
        <link rel="self" type="application/atom+xml" href="{$self_url}"/>
      </xsl:if>
      <xsl:if test="$hub != ''">
        <link rel="hub" href="{$hub}"/>
      </xsl:if>
      <xsl:apply-templates select="atom:entry"/>
    </xsl:copy>
  </xsl:template>

  <!-- Replaced by the one above. -->
  <xsl:template match="/atom:feed/atom:link[@rel='self']">
    <xsl:if test="$self_url = ''">
      <xsl:copy-of select="."/>
    </xsl:if>
  </xsl:template>

  <!-- An entry's language, unless the feed says it for all of them. -->
  <xsl:template match="/atom:feed/atom:entry/@xml:lang">
    <xsl:if test="string(.) != $feed_lang">
      <xsl:copy/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="/atom:feed/agg:categories"/>
  <xsl:template match="/atom:feed/agg:updated-local"/>
  <xsl:template match="atom:entry/agg:local|atom:entry/agg:ago"/>
  <xsl:template match="/comment()|/processing-instruction()"/>

  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
