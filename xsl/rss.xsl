<?xml version="1.0" encoding="UTF-8"?>
<!--
  rss.xsl - the planet document as an RSS 2.0 feed (rss.xml), for readers
  that prefer RSS.

  Channel: title, link (the HTML page), description, language (when
  every item shares one), atom:link rel="self",
  atom:link rel="hub" (when a WebSub hub is configured),
  lastBuildDate (the newest entry's date, so the file only changes when
  the entries do). Items: title, link, guid (isPermaLink="true" only when
  the id is the link itself), pubDate (RFC 822), description (the entry's
  sanitized HTML, escaped as RSS wants), dc:language (when the channel
  has no language), dc:creator, category, comments,
  enclosure (one: the first that is not an image, else the first), Media
  RSS media:thumbnail and media:content (each image, and each enclosure
  whose medium or duration is known), and source.
  Copy this file to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    xmlns:media="http://search.yahoo.com/mrss/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="agg">

  <xsl:import href="common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <xsl:apply-templates select="atom:feed"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <rss version="2.0">
      <channel>
        <title><xsl:value-of select="atom:title"/></title>
        <link>
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="(atom:link[@rel='alternate'])[1]/@href"/>
          </xsl:call-template>
        </link>
        <description>
          <xsl:choose>
            <xsl:when test="normalize-space(atom:subtitle) != ''">
              <xsl:value-of select="atom:subtitle"/>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
          </xsl:choose>
        </description>
        <xsl:if test="$feed_lang != ''">
          <language><xsl:value-of select="$feed_lang"/></language>
        </xsl:if>
        <xsl:if test="$self_url != ''">
          <atom:link rel="self" type="application/rss+xml" href="{$self_url}"/>
        </xsl:if>
        <xsl:if test="$hub != ''">
          <atom:link rel="hub" href="{$hub}"/>
        </xsl:if>
        <lastBuildDate>
          <xsl:call-template name="rfc822">
            <xsl:with-param name="date" select="atom:updated"/>
          </xsl:call-template>
        </lastBuildDate>
        <xsl:if test="atom:generator">
          <generator><xsl:value-of select="atom:generator"/></generator>
        </xsl:if>
        <xsl:apply-templates select="atom:entry"/>
      </channel>
    </rss>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="link">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <item>
      <title><xsl:value-of select="atom:title"/></title>
      <xsl:if test="$link != ''">
        <link><xsl:value-of select="$link"/></link>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$link != '' and string(atom:id) = $link">
          <guid isPermaLink="true"><xsl:value-of select="atom:id"/></guid>
        </xsl:when>
        <xsl:otherwise>
          <guid isPermaLink="false"><xsl:value-of select="atom:id"/></guid>
        </xsl:otherwise>
      </xsl:choose>
      <pubDate>
        <xsl:call-template name="rfc822">
          <xsl:with-param name="date">
            <xsl:choose>
              <xsl:when test="atom:published"><xsl:value-of select="atom:published"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="atom:updated"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </pubDate>
      <description>
        <xsl:call-template name="entry-html"/>
      </description>
      <!-- an item's language, when the channel has none for all of them -->
      <xsl:variable name="lang">
        <xsl:call-template name="entry-lang"/>
      </xsl:variable>
      <xsl:if test="$feed_lang = '' and $lang != ''">
        <dc:language><xsl:value-of select="$lang"/></dc:language>
      </xsl:if>
      <xsl:for-each select="atom:author[atom:name != '']">
        <dc:creator><xsl:value-of select="atom:name"/></dc:creator>
      </xsl:for-each>
      <xsl:for-each select="atom:category[@term != '']">
        <category>
          <xsl:if test="@scheme">
            <xsl:attribute name="domain"><xsl:value-of select="@scheme"/></xsl:attribute>
          </xsl:if>
          <xsl:value-of select="@term"/>
        </category>
      </xsl:for-each>
      <!-- The categories publish filed the entry in (its subscription's among them). -->
      <xsl:for-each select="agg:in[@name != '']">
        <category><xsl:value-of select="@name"/></category>
      </xsl:for-each>
      <xsl:variable name="comments">
        <xsl:call-template name="safe-url">
          <xsl:with-param name="url" select="agg:comments"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:if test="$comments != ''">
        <comments><xsl:value-of select="$comments"/></comments>
      </xsl:if>
      <!-- RSS allows one enclosure per item: the first that is not an image
           (podcast audio, video), else the first; images are media:content. -->
      <xsl:for-each select="(atom:link[@rel='enclosure'][not(starts-with(@type, 'image/'))] | atom:link[@rel='enclosure'][not(../atom:link[@rel='enclosure'][not(starts-with(@type, 'image/'))])])[1]">
        <xsl:variable name="url">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="@href"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:if test="$url != ''">
          <enclosure url="{$url}">
            <xsl:attribute name="length">
              <xsl:choose>
                <xsl:when test="number(@length) &gt;= 0"><xsl:value-of select="@length"/></xsl:when>
                <xsl:otherwise>0</xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
            <xsl:attribute name="type">
              <xsl:choose>
                <xsl:when test="@type"><xsl:value-of select="@type"/></xsl:when>
                <xsl:otherwise>application/octet-stream</xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
          </enclosure>
        </xsl:if>
      </xsl:for-each>
      <!-- Media RSS: every image, and each enclosure whose medium or
           duration is known (the planet document's media:content), all of
           them, as RSS has room for one <enclosure> only. -->
      <xsl:for-each select="media:content">
        <xsl:variable name="murl">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="@url"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:if test="$murl != ''">
          <media:content url="{$murl}">
            <xsl:if test="contains(@type, '/')">
              <xsl:attribute name="type"><xsl:value-of select="@type"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="number(@fileSize) &gt; 0">
              <xsl:attribute name="fileSize"><xsl:value-of select="format-number(@fileSize, '0')"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="@medium = 'image' or @medium = 'audio' or @medium = 'video' or @medium = 'document' or @medium = 'executable'">
              <xsl:attribute name="medium"><xsl:value-of select="@medium"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="number(@duration) &gt; 0">
              <xsl:attribute name="duration"><xsl:value-of select="format-number(@duration, '0')"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="number(@width) &gt; 0">
              <xsl:attribute name="width"><xsl:value-of select="format-number(@width, '0')"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="number(@height) &gt; 0">
              <xsl:attribute name="height"><xsl:value-of select="format-number(@height, '0')"/></xsl:attribute>
            </xsl:if>
          </media:content>
        </xsl:if>
      </xsl:for-each>
      <!-- Media RSS: the story's image, for readers that show one. -->
      <xsl:for-each select="media:thumbnail[1]">
        <xsl:variable name="thumb">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="@url"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:if test="$thumb != ''">
          <media:thumbnail url="{$thumb}"/>
        </xsl:if>
      </xsl:for-each>
      <xsl:variable name="source">
        <xsl:call-template name="safe-url">
          <xsl:with-param name="url" select="atom:source/atom:link[@rel='self']/@href"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:if test="$source != ''">
        <source url="{$source}">
          <xsl:value-of select="atom:source/atom:title"/>
        </source>
      </xsl:if>
    </item>
  </xsl:template>
</xsl:stylesheet>
