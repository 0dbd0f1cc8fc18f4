<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - the planet document as an HTML page. One template for every
  page; $page says which:
    home      index.html: the latest stories, then the stories grouped by
              category (a story in two categories shows in both)
    category  CATEGORY/index.html: the category's newest stories
    day       YYYY/MM/DD.html: one day of the archive, with links to the
              neighbouring days
    sources   sources.html: every feed and its fetch status (agg:sources)
  Every page has a header with the site name and the categories, links
  its feeds with <link rel="alternate"> (Atom, RSS, JSON Feed), and shows
  times in the configured zone (agg:local, computed by publish.c). A
  story's other sources (agg:also, from clustering) show as "also reported
  by" links.

  One story is the named template "entry": change it to change every page.
  Everything from feeds is output as text: stories show their plain-text
  agg:excerpt, never their HTML, and links are kept only when they are
  http(s). No JavaScript. $root is the relative path back to the site's
  top directory ("", "../" or "../../"), so the pages also work when opened
  from disk. Plain div/span markup with ARIA roles keeps the page valid for
  HTML4-era parsers (libxml2) as well as HTML5, except <nav> (the Nu Html
  Checker rejects role="navigation" on a list, and libxml2 2.9 only warns
  that it does not know the tag). Headings do not skip a level: h1 for the
  page, h2 for home's groups, then the stories (h2, or h3 under a group).
  Copy this file to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom agg media">

  <xsl:import href="common.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <!-- Stories on the home page: in "Latest", and in each category's group. -->
  <xsl:variable name="home_latest" select="8"/>
  <xsl:variable name="home_per_category" select="5"/>

  <xsl:key name="by-category" match="atom:entry" use="agg:in/@slug"/>

  <!-- The link to the home page, relative: "./", "../" or "../../". -->
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
      <xsl:choose>
        <xsl:when test="@xml:lang">
          <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
        </xsl:when>
        <xsl:otherwise><xsl:attribute name="lang">en</xsl:attribute></xsl:otherwise>
      </xsl:choose>
      <head>
        <!-- libxslt's HTML output always writes this form (and would add it
             beside a <meta charset>, which HTML5 forbids): so use it. -->
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <!-- the mark by which publishing knows a page as its own (publish-files.c) -->
        <meta name="generator" content="aggregator"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="{$root}style.css"/>
        <link rel="alternate" type="application/atom+xml" title="Atom" href="{$feeds}atom.xml"/>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="{$feeds}rss.xml"/>
        <link rel="alternate" type="application/feed+json" title="JSON Feed"
            href="{$feeds}feed.json"/>
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
          <xsl:call-template name="nav"/>
        </div>
        <div class="main" role="main">
          <xsl:choose>
            <xsl:when test="$page = 'sources'">
              <xsl:call-template name="sources"/>
            </xsl:when>
            <xsl:when test="$page = 'day'">
              <h1><xsl:value-of select="$day"/></h1>
              <xsl:call-template name="day-links"/>
              <xsl:call-template name="list"/>
              <xsl:call-template name="day-links"/>
            </xsl:when>
            <xsl:when test="$page = 'category'">
              <h1><xsl:value-of select="$category"/></h1>
              <xsl:call-template name="updated"/>
              <xsl:call-template name="list"/>
            </xsl:when>
            <xsl:otherwise>
              <h1>
                <xsl:choose>
                  <xsl:when test="$site_name != ''"><xsl:value-of select="$site_name"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
                </xsl:choose>
              </h1>
              <xsl:call-template name="updated"/>
              <xsl:call-template name="home"/>
            </xsl:otherwise>
          </xsl:choose>
        </div>
        <div class="footer" role="contentinfo">
          <p>
            <xsl:text>Feeds: </xsl:text>
            <a href="{$feeds}atom.xml">Atom</a>
            <xsl:text> · </xsl:text>
            <a href="{$feeds}rss.xml">RSS</a>
            <xsl:text> · </xsl:text>
            <a href="{$feeds}feed.json">JSON Feed</a>
            <xsl:text> · </xsl:text>
            <a href="{$root}opml.xml">OPML</a>
          </p>
          <p>
            <xsl:text>Times are </xsl:text>
            <xsl:value-of select="$timezone"/>
            <xsl:text>.</xsl:text>
          </p>
        </div>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="nav">
    <nav aria-label="Categories">
    <ul class="nav">
      <li>
        <xsl:if test="$page = 'home'">
          <xsl:attribute name="class">current</xsl:attribute>
        </xsl:if>
        <a href="{$home}">All</a>
      </li>
      <xsl:for-each select="agg:categories/agg:category">
        <li>
          <xsl:if test="@slug = $category_slug">
            <xsl:attribute name="class">current</xsl:attribute>
          </xsl:if>
          <a href="{$root}{@slug}/"><xsl:value-of select="@name"/></a>
        </li>
      </xsl:for-each>
      <xsl:if test="$archive != ''">
        <li>
          <xsl:if test="$page = 'day'">
            <xsl:attribute name="class">current</xsl:attribute>
          </xsl:if>
          <a href="{$root}{$archive}">Archive</a>
        </li>
      </xsl:if>
      <li>
        <xsl:if test="$page = 'sources'">
          <xsl:attribute name="class">current</xsl:attribute>
        </xsl:if>
        <a href="{$root}sources.html">Sources</a>
      </li>
    </ul>
    </nav>
  </xsl:template>

  <xsl:template name="updated">
    <xsl:if test="agg:updated-local">
      <p class="updated">
        <xsl:text>Latest story: </xsl:text>
        <xsl:call-template name="local-date">
          <xsl:with-param name="date" select="agg:updated-local"/>
        </xsl:call-template>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="day-links">
    <xsl:if test="$prev_day != '' or $next_day != ''">
      <p class="days">
        <xsl:if test="$prev_day != ''">
          <a href="{$root}{$prev_day}" rel="prev">← Earlier day</a>
        </xsl:if>
        <xsl:if test="$prev_day != '' and $next_day != ''">
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:if test="$next_day != ''">
          <a href="{$root}{$next_day}" rel="next">Later day →</a>
        </xsl:if>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- Every story of the document, newest first. -->
  <xsl:template name="list">
    <xsl:param name="level" select="2"/>
    <xsl:for-each select="atom:entry">
      <xsl:call-template name="entry">
        <xsl:with-param name="level" select="$level"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:if test="not(atom:entry)">
      <p class="empty">No stories yet.</p>
    </xsl:if>
  </xsl:template>

  <!-- The home page: the latest stories, then one group per category that has stories. -->
  <xsl:template name="home">
    <xsl:variable name="feed" select="."/>
    <xsl:choose>
      <xsl:when test="not(atom:entry)">
        <p class="empty">No stories yet.</p>
      </xsl:when>
      <xsl:when test="not(agg:categories/agg:category)">
        <xsl:call-template name="list"/>
      </xsl:when>
      <xsl:otherwise>
        <div class="group">
          <h2 class="group-title">Latest</h2>
          <xsl:for-each select="atom:entry[position() &lt;= $home_latest]">
            <xsl:call-template name="entry">
              <xsl:with-param name="level" select="3"/>
            </xsl:call-template>
          </xsl:for-each>
        </div>
        <xsl:for-each select="agg:categories/agg:category">
          <xsl:variable name="slug" select="@slug"/>
          <xsl:variable name="stories" select="key('by-category', $slug)"/>
          <xsl:if test="$stories">
            <div class="group">
              <h2 class="group-title"><a href="{$root}{$slug}/"><xsl:value-of select="@name"/></a></h2>
              <xsl:for-each select="$stories[position() &lt;= $home_per_category]">
                <xsl:call-template name="entry">
                  <xsl:with-param name="level" select="3"/>
                </xsl:call-template>
              </xsl:for-each>
              <xsl:if test="count($stories) &gt; $home_per_category">
                <p class="more"><a href="{$root}{$slug}/">More in <xsl:value-of select="@name"/></a></p>
              </xsl:if>
            </div>
          </xsl:if>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    One story: thumbnail, title linked to the original, source, absolute
    time (the configured zone) and relative time, excerpt, categories.
    The context node is the atom:entry.
  -->
  <xsl:template name="entry">
    <xsl:param name="level" select="2"/>
    <xsl:variable name="link">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="media:thumbnail/@url"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="source_link">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="atom:source/atom:link[@rel='alternate']/@href"/>
      </xsl:call-template>
    </xsl:variable>
    <div class="entry">
      <!-- the story's language: its own, else its feed's -->
      <xsl:variable name="lang">
        <xsl:call-template name="entry-lang"/>
      </xsl:variable>
      <xsl:if test="$lang != ''">
        <xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="$thumb != ''">
        <img class="thumb" src="{$thumb}" alt="" loading="lazy"/>
      </xsl:if>
      <xsl:element name="h{$level}">
        <xsl:attribute name="class">title</xsl:attribute>
        <xsl:choose>
          <xsl:when test="$link != ''">
            <a href="{$link}"><xsl:value-of select="atom:title"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
        </xsl:choose>
      </xsl:element>
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
          <xsl:choose>
            <xsl:when test="agg:local">
              <xsl:call-template name="local-date">
                <xsl:with-param name="date" select="agg:local"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="human-date">
                <xsl:with-param name="date" select="atom:updated"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </span>
        <xsl:if test="agg:ago and $page != 'day'">
          <xsl:text> · </xsl:text>
          <span class="ago">
            <xsl:call-template name="relative-time">
              <xsl:with-param name="seconds" select="agg:ago"/>
            </xsl:call-template>
          </span>
        </xsl:if>
        <xsl:for-each select="agg:in">
          <xsl:text> · </xsl:text>
          <a class="category" href="{$root}{@slug}/"><xsl:value-of select="@name"/></a>
        </xsl:for-each>
      </p>
      <xsl:if test="normalize-space(agg:excerpt) != ''">
        <p class="excerpt"><xsl:value-of select="agg:excerpt"/></p>
      </xsl:if>
      <!-- the media enclosures (podcast audio, video, images), as links: http(s) only -->
      <xsl:variable name="encs" select="atom:link[@rel='enclosure'][starts-with(@href, 'http://') or starts-with(@href, 'https://')][starts-with(@type, 'audio/') or starts-with(@type, 'video/') or starts-with(@type, 'image/')]"/>
      <xsl:if test="$encs">
        <p class="enclosures">
          <xsl:for-each select="$encs">
            <xsl:if test="position() &gt; 1"><xsl:text> · </xsl:text></xsl:if>
            <a href="{@href}">
              <xsl:choose>
                <xsl:when test="starts-with(@type, 'audio/')">Audio</xsl:when>
                <xsl:when test="starts-with(@type, 'video/')">Video</xsl:when>
                <xsl:otherwise>Image</xsl:otherwise>
              </xsl:choose>
              <!-- its duration (M:SS or H:MM:SS, from the planet's media:content) and size -->
              <xsl:variable name="href" select="@href"/>
              <xsl:variable name="secs" select="number(../media:content[@url = $href][number(@duration) &gt; 0][1]/@duration)"/>
              <xsl:variable name="mb" select="number(@length) &gt; 0"/>
              <xsl:if test="$secs &gt; 0 or $mb">
                <xsl:text> (</xsl:text>
                <xsl:if test="$secs &gt; 0">
                  <xsl:if test="$secs &gt;= 3600">
                    <xsl:value-of select="floor($secs div 3600)"/>
                    <xsl:text>:</xsl:text>
                    <xsl:value-of select="format-number(floor(($secs mod 3600) div 60), '00')"/>
                  </xsl:if>
                  <xsl:if test="$secs &lt; 3600">
                    <xsl:value-of select="floor($secs div 60)"/>
                  </xsl:if>
                  <xsl:text>:</xsl:text>
                  <xsl:value-of select="format-number(floor($secs mod 60), '00')"/>
                  <xsl:if test="$mb">, </xsl:if>
                </xsl:if>
                <xsl:if test="$mb">
                  <xsl:value-of select="format-number(@length div 1048576, '0.0')"/>
                  <xsl:text> MB</xsl:text>
                </xsl:if>
                <xsl:text>)</xsl:text>
              </xsl:if>
            </a>
          </xsl:for-each>
        </p>
      </xsl:if>
      <xsl:if test="agg:also">
        <p class="also">
          <xsl:text>also reported by: </xsl:text>
          <xsl:apply-templates select="agg:also"/>
        </p>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- sources.html: one row per feed. -->
  <xsl:template name="sources">
    <h1>Sources</h1>
    <p><xsl:value-of select="count(agg:sources/agg:source)"/> feeds.</p>
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Feed</th>
            <th scope="col">Category</th>
            <th scope="col">Last success</th>
            <th scope="col">Status</th>
            <th scope="col">Stories</th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="agg:sources/agg:source">
            <xsl:variable name="site">
              <xsl:call-template name="safe-url">
                <xsl:with-param name="url" select="agg:site"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:variable name="url">
              <xsl:call-template name="safe-url">
                <xsl:with-param name="url" select="agg:url"/>
              </xsl:call-template>
            </xsl:variable>
            <tr>
              <xsl:if test="agg:last-error or agg:gone">
                <xsl:attribute name="class">failing</xsl:attribute>
              </xsl:if>
              <td>
                <xsl:choose>
                  <xsl:when test="$site != ''">
                    <a href="{$site}"><xsl:value-of select="agg:title"/></a>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="agg:title"/></xsl:otherwise>
                </xsl:choose>
                <xsl:if test="$url != ''">
                  <xsl:text> </xsl:text>
                  <a class="feed" href="{$url}">(feed)</a>
                </xsl:if>
              </td>
              <td>
                <xsl:for-each select="agg:in">
                  <a href="{$root}{@slug}/"><xsl:value-of select="@name"/></a>
                </xsl:for-each>
              </td>
              <td>
                <xsl:choose>
                  <xsl:when test="agg:last-success">
                    <xsl:call-template name="local-date">
                      <xsl:with-param name="date" select="agg:last-success/@local"/>
                    </xsl:call-template>
                  </xsl:when>
                  <xsl:otherwise>never</xsl:otherwise>
                </xsl:choose>
              </td>
              <td>
                <xsl:choose>
                  <xsl:when test="agg:gone">gone (HTTP 410)</xsl:when>
                  <xsl:when test="agg:last-error">
                    <xsl:if test="agg:state = 'DEAD'">DEAD: </xsl:if>
                    <span class="error"><xsl:value-of select="agg:last-error"/></span>
                    <xsl:if test="number(agg:failures) &gt; 1">
                      <xsl:value-of select="concat(' (', agg:failures, ' failures in a row)')"/>
                    </xsl:if>
                  </xsl:when>
                  <xsl:when test="agg:last-success">OK</xsl:when>
                  <xsl:otherwise>not fetched yet</xsl:otherwise>
                </xsl:choose>
              </td>
              <td class="num"><xsl:value-of select="agg:entries"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
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
