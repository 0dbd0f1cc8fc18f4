<?xml version="1.0" encoding="UTF-8"?>
<!--
  json.xsl - the planet document as a JSON Feed 1.1 (feed.json,
  https://jsonfeed.org/version/1.1).

  Top level: version, title, home_page_url, feed_url ($self_url),
  description, language (when every item shares one), hubs (when a WebSub
  hub is configured), items.
  Items: id (the Atom id), url, title, content_html (the sanitized HTML), summary (the plain-text
  excerpt), image (the thumbnail), date_published, date_modified, authors,
  tags (the categories publish filed the entry in) and language (when the
  feed has none for all of them).

  The output is text: every string goes through the "json-string"
  template, which escapes '\', '"' and the control characters XML can
  carry (tab, newline, carriage return). Long strings are split in halves
  first, so the recursion stays shallow whatever the input.
  Copy this file to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom agg media">

  <xsl:import href="common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <!-- A JSON string literal, quotes included. -->
  <xsl:template name="json-string">
    <xsl:param name="s"/>
    <xsl:text>"</xsl:text>
    <xsl:call-template name="json-escape">
      <xsl:with-param name="s" select="string($s)"/>
    </xsl:call-template>
    <xsl:text>"</xsl:text>
  </xsl:template>

  <xsl:template name="json-escape">
    <xsl:param name="s"/>
    <xsl:variable name="len" select="string-length($s)"/>
    <xsl:choose>
      <xsl:when test="$len &gt; 64">
        <!-- Halves: the recursion depth grows with log(length). -->
        <xsl:variable name="half" select="floor($len div 2)"/>
        <xsl:call-template name="json-escape">
          <xsl:with-param name="s" select="substring($s, 1, $half)"/>
        </xsl:call-template>
        <xsl:call-template name="json-escape">
          <xsl:with-param name="s" select="substring($s, $half + 1)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="translate($s, '\&quot;&#9;&#10;&#13;', '') = $s">
        <xsl:value-of select="$s"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="c" select="substring($s, 1, 1)"/>
        <xsl:choose>
          <xsl:when test="$c = '\'">\\</xsl:when>
          <xsl:when test="$c = '&quot;'">\"</xsl:when>
          <xsl:when test="$c = '&#9;'">\t</xsl:when>
          <xsl:when test="$c = '&#10;'">\n</xsl:when>
          <xsl:when test="$c = '&#13;'">\r</xsl:when>
          <xsl:otherwise><xsl:value-of select="$c"/></xsl:otherwise>
        </xsl:choose>
        <xsl:call-template name="json-escape">
          <xsl:with-param name="s" select="substring($s, 2)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ,"key":"value" when value is not empty. -->
  <xsl:template name="member">
    <xsl:param name="key"/>
    <xsl:param name="value"/>
    <xsl:if test="string($value) != ''">
      <xsl:text>,&#10;  "</xsl:text>
      <xsl:value-of select="$key"/>
      <xsl:text>": </xsl:text>
      <xsl:call-template name="json-string">
        <xsl:with-param name="s" select="$value"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="/">
    <xsl:apply-templates select="atom:feed"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:variable name="home">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="(atom:link[@rel='alternate'])[1]/@href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:text>{"version": "https://jsonfeed.org/version/1.1",&#10;  "title": </xsl:text>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="atom:title"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">home_page_url</xsl:with-param>
      <xsl:with-param name="value" select="$home"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">feed_url</xsl:with-param>
      <xsl:with-param name="value" select="$self_url"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">description</xsl:with-param>
      <xsl:with-param name="value" select="atom:subtitle"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">language</xsl:with-param>
      <xsl:with-param name="value" select="$feed_lang"/>
    </xsl:call-template>
    <xsl:if test="$hub != ''">
      <xsl:text>,&#10;  "hubs": [{"type": "WebSub", "url": </xsl:text>
      <xsl:call-template name="json-string">
        <xsl:with-param name="s" select="$hub"/>
      </xsl:call-template>
      <xsl:text>}]</xsl:text>
    </xsl:if>
    <xsl:text>,&#10;  "items": [</xsl:text>
    <xsl:for-each select="atom:entry">
      <xsl:if test="position() &gt; 1">,</xsl:if>
      <xsl:apply-templates select="."/>
    </xsl:for-each>
    <xsl:text>]}&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="link">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:variable name="html">
      <xsl:call-template name="entry-html"/>
    </xsl:variable>
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="media:thumbnail/@url"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="lang">
      <xsl:call-template name="entry-lang"/>
    </xsl:variable>
    <xsl:text>&#10; {"id": </xsl:text>
    <xsl:call-template name="json-string">
      <xsl:with-param name="s" select="atom:id"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">url</xsl:with-param>
      <xsl:with-param name="value" select="$link"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">title</xsl:with-param>
      <xsl:with-param name="value" select="atom:title"/>
    </xsl:call-template>
    <xsl:choose>
      <xsl:when test="normalize-space($html) != ''">
        <xsl:call-template name="member">
          <xsl:with-param name="key">content_html</xsl:with-param>
          <xsl:with-param name="value" select="$html"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <!-- JSON Feed wants content_html or content_text in every item. -->
        <xsl:text>,&#10;  "content_text": </xsl:text>
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="agg:excerpt"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:call-template name="member">
      <xsl:with-param name="key">summary</xsl:with-param>
      <xsl:with-param name="value" select="agg:excerpt"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">image</xsl:with-param>
      <xsl:with-param name="value" select="$thumb"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">date_published</xsl:with-param>
      <xsl:with-param name="value" select="atom:published"/>
    </xsl:call-template>
    <xsl:call-template name="member">
      <xsl:with-param name="key">date_modified</xsl:with-param>
      <xsl:with-param name="value" select="atom:updated"/>
    </xsl:call-template>
    <xsl:if test="$feed_lang = ''">
      <xsl:call-template name="member">
        <xsl:with-param name="key">language</xsl:with-param>
        <xsl:with-param name="value" select="$lang"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="atom:author[normalize-space(atom:name) != '']">
      <xsl:text>,&#10;  "authors": [</xsl:text>
      <xsl:for-each select="atom:author[normalize-space(atom:name) != '']">
        <xsl:if test="position() &gt; 1">, </xsl:if>
        <xsl:text>{"name": </xsl:text>
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="atom:name"/>
        </xsl:call-template>
        <xsl:variable name="uri">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="atom:uri"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:if test="$uri != ''">
          <xsl:text>, "url": </xsl:text>
          <xsl:call-template name="json-string">
            <xsl:with-param name="s" select="$uri"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:text>}</xsl:text>
      </xsl:for-each>
      <xsl:text>]</xsl:text>
    </xsl:if>
    <!-- JSON Feed 1.1 attachments: the enclosures (podcast audio), http(s) only -->
    <xsl:variable name="encs" select="atom:link[@rel='enclosure'][starts-with(@href, 'http://') or starts-with(@href, 'https://')]"/>
    <xsl:if test="$encs">
      <xsl:text>,&#10;  "attachments": [</xsl:text>
      <xsl:for-each select="$encs">
        <xsl:if test="position() &gt; 1">, </xsl:if>
        <xsl:text>{"url": </xsl:text>
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="@href"/>
        </xsl:call-template>
        <xsl:text>, "mime_type": </xsl:text>
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="substring(concat(@type, substring('application/octet-stream', 1, 24 * not(@type))), 1, 200)"/>
        </xsl:call-template>
        <xsl:if test="number(@length) &gt; 0">
          <xsl:text>, "size_in_bytes": </xsl:text>
          <xsl:value-of select="format-number(@length, '0')"/>
        </xsl:if>
        <!-- the duration the planet document's media:content gives this URL -->
        <xsl:variable name="href" select="@href"/>
        <xsl:variable name="secs" select="../media:content[@url = $href][number(@duration) &gt; 0][1]/@duration"/>
        <xsl:if test="$secs">
          <xsl:text>, "duration_in_seconds": </xsl:text>
          <xsl:value-of select="format-number($secs, '0')"/>
        </xsl:if>
        <xsl:text>}</xsl:text>
      </xsl:for-each>
      <xsl:text>]</xsl:text>
    </xsl:if>
    <xsl:if test="agg:in[@name != '']">
      <xsl:text>,&#10;  "tags": [</xsl:text>
      <xsl:for-each select="agg:in[@name != '']">
        <xsl:if test="position() &gt; 1">, </xsl:if>
        <xsl:call-template name="json-string">
          <xsl:with-param name="s" select="@name"/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:text>]</xsl:text>
    </xsl:if>
    <xsl:text>}</xsl:text>
  </xsl:template>
</xsl:stylesheet>
