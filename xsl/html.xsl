<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - the planet document as an HTML page (index.html): a header
  with the site name and a navigation bar of categories, then one block per
  entry (title linked to the original, source, date, thumbnail, plain-text
  excerpt, category, "also reported by" the story's other sources), then
  links to the Atom and RSS feeds.

  Everything from feeds is output as text: entries show their plain-text
  agg:excerpt, never their HTML, and links are kept only when they are
  http(s). No JavaScript. $root is the relative path back to the site's top
  directory ("" on the home page, "../" on a category page), so the pages
  also work when opened from disk. Plain div/span markup with ARIA roles
  keeps the page valid for HTML4-era parsers (libxml2) as well as HTML5.
  Copy this file to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    exclude-result-prefixes="atom agg">

  <xsl:import href="common.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <!-- The link to the home page, relative: "./" or "../". -->
  <xsl:variable name="home">
    <xsl:choose>
      <xsl:when test="$root = ''">./</xsl:when>
      <xsl:otherwise><xsl:value-of select="$root"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <xsl:apply-templates select="atom:feed"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <html>
      <xsl:if test="@xml:lang">
        <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      </xsl:if>
      <head>
        <!-- libxslt's HTML output always writes this form (and would add it
             beside a <meta charset>, which HTML5 forbids): so use it. -->
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="{$root}style.css"/>
        <link rel="alternate" type="application/atom+xml" title="Atom" href="atom.xml"/>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml"/>
      </head>
      <body>
        <div class="header" role="banner">
          <p class="site">
            <a href="{$home}">
              <xsl:choose>
                <xsl:when test="$site_name != ''"><xsl:value-of select="$site_name"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
              </xsl:choose>
            </a>
          </p>
          <xsl:if test="$category != ''">
            <h1><xsl:value-of select="$category"/></h1>
          </xsl:if>
          <xsl:apply-templates select="agg:categories"/>
        </div>
        <div class="main" role="main">
          <xsl:apply-templates select="atom:entry"/>
          <xsl:if test="not(atom:entry)">
            <p class="empty">No entries yet.</p>
          </xsl:if>
        </div>
        <div class="footer" role="contentinfo">
          <p>
            <a href="atom.xml">Atom</a>
            <xsl:text> · </xsl:text>
            <a href="rss.xml">RSS</a>
          </p>
        </div>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="agg:categories">
    <ul class="nav" role="navigation">
      <li>
        <xsl:if test="$category_slug = ''">
          <xsl:attribute name="class">current</xsl:attribute>
        </xsl:if>
        <a href="{$home}">All</a>
      </li>
      <xsl:for-each select="agg:category">
        <li>
          <xsl:if test="@slug = $category_slug">
            <xsl:attribute name="class">current</xsl:attribute>
          </xsl:if>
          <a href="{$root}{@slug}/"><xsl:value-of select="@name"/></a>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="link">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="agg:thumbnail"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="source_link">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="atom:source/atom:link[@rel='alternate']/@href"/>
      </xsl:call-template>
    </xsl:variable>
    <div class="entry">
      <h2>
        <xsl:choose>
          <xsl:when test="$link != ''">
            <a href="{$link}"><xsl:value-of select="atom:title"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <p class="meta">
        <xsl:if test="atom:source/atom:title != ''">
          <span class="source">
            <xsl:choose>
              <xsl:when test="$source_link != ''">
                <a href="{$source_link}"><xsl:value-of select="atom:source/atom:title"/></a>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="atom:source/atom:title"/></xsl:otherwise>
            </xsl:choose>
          </span>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <span class="date" title="{atom:updated}">
          <xsl:call-template name="human-date">
            <xsl:with-param name="date" select="atom:updated"/>
          </xsl:call-template>
        </span>
        <xsl:if test="agg:category != ''">
          <xsl:text> · </xsl:text>
          <span class="category"><xsl:value-of select="agg:category"/></span>
        </xsl:if>
      </p>
      <xsl:if test="$thumb != ''">
        <img class="thumb" src="{$thumb}" alt="" loading="lazy"/>
      </xsl:if>
      <xsl:if test="normalize-space(agg:excerpt) != ''">
        <p class="excerpt"><xsl:value-of select="agg:excerpt"/></p>
      </xsl:if>
      <xsl:if test="agg:also">
        <p class="also">
          <xsl:text>also reported by: </xsl:text>
          <xsl:apply-templates select="agg:also"/>
        </p>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- One other source of the entry's story: its name, linked to its article. -->
  <xsl:template match="agg:also">
    <xsl:variable name="href">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="@href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="normalize-space(@source) != ''"><xsl:value-of select="@source"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="position() &gt; 1">, </xsl:if>
    <xsl:choose>
      <xsl:when test="$href != ''">
        <a href="{$href}" title="{.}"><xsl:value-of select="$name"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
