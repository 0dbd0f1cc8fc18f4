<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - the planet document as an HTML page. One template for every
  page; $page says which:
    home      index.html: the latest stories, then the other stories
              grouped by category (each story once on the page)
    category  CATEGORY/index.html: the category's newest stories
    day       YYYY/MM/DD.html: one day of the archive, with its weekday and
              links to the neighbouring days
    story     YYYY/MM/DD/SLUG.html: one story: headline, source and time,
              thumbnail, excerpt, a link to the original article, every
              other outlet that reported it (agg:also) and Related Articles
              (agg:related, from publish-story.c)
    archive   archive.html: the months and days of the archive (agg:archive),
              then the digests' archive copies (agg:digests)
    sources   sources.html: every feed and its fetch status (agg:sources),
              as a list that reads on a phone
  Every page has a header with the site name and the categories, links
  its feeds with <link rel="alternate"> (Atom, RSS, JSON Feed), a favicon,
  Open Graph and Twitter card tags (title, description, image), and shows
  times in the configured zone (agg:local, with its abbreviation "KST"
  where the zone has one). Stories in lists link to their own page
  (agg:page) when they have one, and say "N sources" when other outlets
  reported them too. The interface's words come from messages.xsl in the
  configured $language ("en", "ko").

  One story in a list is the named template "entry": change it to change
  every list. Everything from feeds is output as text: stories show their
  plain-text agg:excerpt, never their HTML, and links are kept only when
  they are http(s). No JavaScript. $root is the relative path back to the
  site's top directory ("", "../", "../../" or "../../../"), and every link
  names its file (index.html, not "./"), so the pages also work when opened
  from disk. Plain div/span markup with ARIA roles keeps the page valid for
  HTML4-era parsers (libxml2) as well as HTML5, except <nav> (the Nu Html
  Checker rejects role="navigation" on a list, and libxml2 2.9 only warns
  that it does not know the tag). Headings do not skip a level: h1 for the
  page, h2 for home's groups and a story page's sections, then the stories
  (h2, or h3 under a group).
  Copy this file (with common.xsl and messages.xsl) to your templates
  directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom agg media">

  <xsl:import href="common.xsl"/>
  <xsl:import href="messages.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <!-- Stories on the home page: in "Latest", and in each category's group. -->
  <xsl:variable name="home_latest" select="8"/>
  <xsl:variable name="home_per_category" select="5"/>

  <!-- Home: a story's group is its first category. -->
  <xsl:key name="by-first-category" match="atom:entry" use="agg:in[1]/@slug"/>

  <!-- The link to the home page: a file, so that it also works from disk. -->
  <xsl:variable name="home" select="concat($root, 'index.html')"/>

  <xsl:variable name="site">
    <xsl:choose>
      <xsl:when test="$site_name != ''"><xsl:value-of select="$site_name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="/atom:feed/atom:title"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <xsl:apply-templates select="atom:feed"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:variable name="story" select="atom:entry[1]"/>
    <html lang="{$language}">
      <head>
        <!-- libxslt's HTML output always writes this form (and would add it
             beside a <meta charset>, which HTML5 forbids): so use it. -->
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <!-- the mark by which publishing knows a page as its own (publish-files.c) -->
        <meta name="generator" content="aggregator"/>
        <title>
          <xsl:choose>
            <xsl:when test="$page = 'story'">
              <xsl:value-of select="concat($story/atom:title, ' - ', $site)"/>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
          </xsl:choose>
        </title>
        <link rel="icon" type="image/svg+xml" href="{$root}favicon.svg"/>
        <link rel="stylesheet" href="{$root}style.css"/>
        <link rel="alternate" type="application/atom+xml" title="Atom" href="{$feeds}atom.xml"/>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="{$feeds}rss.xml"/>
        <link rel="alternate" type="application/feed+json" title="JSON Feed"
            href="{$feeds}feed.json"/>
        <xsl:call-template name="preview-tags">
          <xsl:with-param name="story" select="$story"/>
        </xsl:call-template>
      </head>
      <body>
        <div class="header" role="banner">
          <p class="site"><a href="{$home}"><xsl:value-of select="$site"/></a></p>
          <xsl:call-template name="nav"/>
        </div>
        <div class="main" role="main">
          <xsl:choose>
            <xsl:when test="$page = 'sources'">
              <xsl:call-template name="sources"/>
            </xsl:when>
            <xsl:when test="$page = 'archive'">
              <xsl:call-template name="archive"/>
            </xsl:when>
            <xsl:when test="$page = 'story'">
              <xsl:apply-templates select="$story" mode="story"/>
            </xsl:when>
            <xsl:when test="$page = 'day'">
              <h1>
                <span class="day">
                  <xsl:call-template name="long-day">
                    <xsl:with-param name="date" select="$day"/>
                  </xsl:call-template>
                </span>
              </h1>
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
              <h1><xsl:value-of select="$site"/></h1>
              <xsl:call-template name="updated"/>
              <xsl:call-template name="home"/>
            </xsl:otherwise>
          </xsl:choose>
        </div>
        <div class="footer" role="contentinfo">
          <p>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'feeds'"/>
            </xsl:call-template>
            <a href="{$feeds}atom.xml">Atom</a>
            <xsl:text> · </xsl:text>
            <a href="{$feeds}rss.xml">RSS</a>
            <xsl:text> · </xsl:text>
            <a href="{$feeds}feed.json">JSON Feed</a>
            <xsl:text> · </xsl:text>
            <a href="{$root}opml.xml">OPML</a>
          </p>
          <p>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'times-are'"/>
              <xsl:with-param name="name">
                <xsl:choose>
                  <xsl:when test="$zone != '' and $zone != $timezone">
                    <xsl:value-of select="concat($zone, ' (', $timezone, ')')"/>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="$timezone"/></xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
            </xsl:call-template>
          </p>
        </div>
      </body>
    </html>
  </xsl:template>

  <!--
    Link previews: Open Graph (Facebook, KakaoTalk, Slack, messengers) and
    the Twitter card. URLs must be absolute: og:url only when the site's
    link is set, og:image only from an http(s) thumbnail.
  -->
  <xsl:template name="preview-tags">
    <xsl:param name="story"/>
    <xsl:variable name="title">
      <xsl:choose>
        <xsl:when test="$page = 'story'"><xsl:value-of select="$story/atom:title"/></xsl:when>
        <xsl:when test="$page = 'category'"><xsl:value-of select="concat($category, ' - ', $site)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="description">
      <xsl:choose>
        <xsl:when test="$page = 'story'">
          <xsl:value-of select="normalize-space($story/agg:excerpt)"/>
        </xsl:when>
        <xsl:when test="atom:entry">
          <xsl:for-each select="atom:entry[position() &lt;= 3]">
            <xsl:if test="position() &gt; 1"> · </xsl:if>
            <xsl:value-of select="normalize-space(atom:title)"/>
          </xsl:for-each>
        </xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="image">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="(atom:entry/media:thumbnail/@url)[1]"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="url">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="$self_url"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$description != ''">
      <meta name="description" content="{substring($description, 1, 300)}"/>
    </xsl:if>
    <meta property="og:site_name" content="{$site}"/>
    <meta property="og:title" content="{$title}"/>
    <xsl:choose>
      <xsl:when test="$page = 'story'">
        <meta property="og:type" content="article"/>
      </xsl:when>
      <xsl:otherwise><meta property="og:type" content="website"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$url != '' and $site_link != ''">
      <meta property="og:url" content="{$url}"/>
    </xsl:if>
    <xsl:if test="$description != ''">
      <meta property="og:description" content="{substring($description, 1, 300)}"/>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$language = 'ko'"><meta property="og:locale" content="ko_KR"/></xsl:when>
      <xsl:otherwise><meta property="og:locale" content="en_US"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$image != ''">
      <meta property="og:image" content="{$image}"/>
    </xsl:if>
    <xsl:if test="$page = 'story' and $story/agg:local">
      <meta property="article:published_time" content="{$story/agg:local}"/>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$image != ''"><meta name="twitter:card" content="summary_large_image"/></xsl:when>
      <xsl:otherwise><meta name="twitter:card" content="summary"/></xsl:otherwise>
    </xsl:choose>
    <meta name="twitter:title" content="{$title}"/>
    <xsl:if test="$description != ''">
      <meta name="twitter:description" content="{substring($description, 1, 200)}"/>
    </xsl:if>
    <xsl:if test="$image != ''">
      <meta name="twitter:image" content="{$image}"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="nav">
    <nav>
    <xsl:attribute name="aria-label">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'categories'"/>
      </xsl:call-template>
    </xsl:attribute>
    <ul class="nav">
      <li>
        <xsl:if test="$page = 'home'">
          <xsl:attribute name="class">current</xsl:attribute>
        </xsl:if>
        <a href="{$home}">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'all'"/>
          </xsl:call-template>
        </a>
      </li>
      <xsl:for-each select="agg:categories/agg:category">
        <li>
          <xsl:if test="@slug = $category_slug">
            <xsl:attribute name="class">current</xsl:attribute>
          </xsl:if>
          <a href="{$root}{@slug}/index.html"><xsl:value-of select="@name"/></a>
        </li>
      </xsl:for-each>
      <xsl:if test="$archive != ''">
        <li>
          <xsl:if test="$page = 'day' or $page = 'archive'">
            <xsl:attribute name="class">current</xsl:attribute>
          </xsl:if>
          <a href="{$root}{$archive}">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'archive'"/>
            </xsl:call-template>
          </a>
        </li>
      </xsl:if>
      <li>
        <xsl:if test="$page = 'sources'">
          <xsl:attribute name="class">current</xsl:attribute>
        </xsl:if>
        <a href="{$root}sources.html">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'sources'"/>
          </xsl:call-template>
        </a>
      </li>
    </ul>
    </nav>
  </xsl:template>

  <xsl:template name="updated">
    <xsl:if test="agg:updated-local">
      <p class="updated">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'latest-story'"/>
        </xsl:call-template>
        <span class="date">
          <xsl:call-template name="local-date">
            <xsl:with-param name="date" select="agg:updated-local"/>
            <xsl:with-param name="abbr" select="agg:updated-local/@zone"/>
          </xsl:call-template>
        </span>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="day-links">
    <xsl:if test="$prev_day != '' or $next_day != ''">
      <p class="days">
        <xsl:if test="$prev_day != ''">
          <a href="{$root}{$prev_day}" rel="prev">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'earlier-day'"/>
            </xsl:call-template>
          </a>
        </xsl:if>
        <xsl:if test="$prev_day != '' and $next_day != ''">
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:if test="$next_day != ''">
          <a href="{$root}{$next_day}" rel="next">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'later-day'"/>
            </xsl:call-template>
          </a>
        </xsl:if>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="no-stories">
    <p class="empty">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'no-stories'"/>
      </xsl:call-template>
    </p>
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
      <xsl:call-template name="no-stories"/>
    </xsl:if>
  </xsl:template>

  <!--
    The home page: the latest stories, then one group per category with the
    stories that are not among the latest, each in the group of its first
    category: no story shows twice.
  -->
  <xsl:template name="home">
    <xsl:choose>
      <xsl:when test="not(atom:entry)">
        <xsl:call-template name="no-stories"/>
      </xsl:when>
      <xsl:when test="not(agg:categories/agg:category)">
        <xsl:call-template name="list"/>
      </xsl:when>
      <xsl:otherwise>
        <div class="group">
          <h2 class="group-title">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'latest'"/>
            </xsl:call-template>
          </h2>
          <xsl:for-each select="atom:entry[position() &lt;= $home_latest]">
            <xsl:call-template name="entry">
              <xsl:with-param name="level" select="3"/>
            </xsl:call-template>
          </xsl:for-each>
        </div>
        <xsl:for-each select="agg:categories/agg:category">
          <xsl:variable name="slug" select="@slug"/>
          <xsl:variable name="name" select="@name"/>
          <xsl:variable name="stories"
              select="key('by-first-category', $slug)[count(preceding-sibling::atom:entry) &gt;= $home_latest]"/>
          <xsl:if test="$stories">
            <div class="group">
              <h2 class="group-title"><a href="{$root}{$slug}/index.html"><xsl:value-of select="$name"/></a></h2>
              <xsl:for-each select="$stories[position() &lt;= $home_per_category]">
                <xsl:call-template name="entry">
                  <xsl:with-param name="level" select="3"/>
                </xsl:call-template>
              </xsl:for-each>
              <p class="more">
                <a href="{$root}{$slug}/index.html">
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="'more-in'"/>
                    <xsl:with-param name="name" select="$name"/>
                  </xsl:call-template>
                </a>
              </p>
            </div>
          </xsl:if>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The entry's time: "2024-05-01 21:00 KST" (its RFC 3339 form as the title). -->
  <xsl:template name="entry-time">
    <span class="date" title="{atom:updated}">
      <xsl:choose>
        <xsl:when test="agg:local">
          <xsl:attribute name="title"><xsl:value-of select="agg:local"/></xsl:attribute>
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
    </span>
  </xsl:template>

  <!-- The entry's source: its name, linked to its site when it has one. -->
  <xsl:template name="entry-source">
    <xsl:variable name="source_link">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="atom:source/atom:link[@rel='alternate']/@href"/>
      </xsl:call-template>
    </xsl:variable>
    <span class="source">
      <xsl:choose>
        <xsl:when test="$source_link != ''">
          <a href="{$source_link}"><xsl:value-of select="atom:source/atom:title"/></a>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="atom:source/atom:title"/></xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <!-- "3 sources": the story's outlets, this one and agg:also's. -->
  <xsl:template name="n-sources">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'n-sources'"/>
      <xsl:with-param name="n" select="count(agg:also) + 1"/>
    </xsl:call-template>
  </xsl:template>

  <!--
    One story in a list: thumbnail, title linked to its own page (else the
    original), source, time, "N sources", excerpt, categories. The context
    node is the atom:entry.
  -->
  <xsl:template name="entry">
    <xsl:param name="level" select="2"/>
    <xsl:variable name="original">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:variable name="link">
      <xsl:choose>
        <xsl:when test="agg:page"><xsl:value-of select="concat($root, agg:page)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$original"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="media:thumbnail/@url"/>
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
          <xsl:call-template name="entry-source"/>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:call-template name="entry-time"/>
        <xsl:if test="agg:ago and $page != 'day'">
          <xsl:text> · </xsl:text>
          <span class="ago">
            <xsl:call-template name="relative-time-msg">
              <xsl:with-param name="seconds" select="agg:ago"/>
            </xsl:call-template>
          </span>
        </xsl:if>
        <xsl:if test="agg:also">
          <xsl:text> · </xsl:text>
          <xsl:choose>
            <xsl:when test="agg:page">
              <a class="sources" href="{$root}{agg:page}#sources">
                <xsl:call-template name="n-sources"/>
              </a>
            </xsl:when>
            <xsl:otherwise>
              <span class="sources"><xsl:call-template name="n-sources"/></span>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:if>
        <xsl:for-each select="agg:in">
          <xsl:text> · </xsl:text>
          <a class="category" href="{$root}{@slug}/index.html"><xsl:value-of select="@name"/></a>
        </xsl:for-each>
      </p>
      <xsl:if test="normalize-space(agg:excerpt) != ''">
        <p class="excerpt"><xsl:value-of select="agg:excerpt"/></p>
      </xsl:if>
      <xsl:call-template name="enclosures"/>
      <!-- without a page of its own, the other outlets show here -->
      <xsl:if test="agg:also and not(agg:page)">
        <ul class="also">
          <xsl:apply-templates select="agg:also"/>
        </ul>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- the media enclosures (podcast audio, video, images), as links: http(s) only -->
  <xsl:template name="enclosures">
    <xsl:variable name="encs" select="atom:link[@rel='enclosure'][starts-with(@href, 'http://') or starts-with(@href, 'https://')][starts-with(@type, 'audio/') or starts-with(@type, 'video/') or starts-with(@type, 'image/')]"/>
    <xsl:if test="$encs">
      <p class="enclosures">
        <xsl:for-each select="$encs">
          <xsl:if test="position() &gt; 1"><xsl:text> · </xsl:text></xsl:if>
          <a href="{@href}">
            <xsl:call-template name="msg">
              <xsl:with-param name="key">
                <xsl:choose>
                  <xsl:when test="starts-with(@type, 'audio/')">audio</xsl:when>
                  <xsl:when test="starts-with(@type, 'video/')">video</xsl:when>
                  <xsl:otherwise>image</xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
            </xsl:call-template>
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
  </xsl:template>

  <!-- Seconds before the page's newest story, in the page's language. -->
  <xsl:template name="relative-time-msg">
    <xsl:param name="seconds"/>
    <xsl:variable name="s" select="number($seconds)"/>
    <xsl:choose>
      <xsl:when test="not($s &gt;= 0)"/>
      <xsl:when test="$s &lt; 60">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'the-latest'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$s &lt; 3600">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'min-before'"/>
          <xsl:with-param name="n" select="floor($s div 60)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$s &lt; 86400">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'h-before'"/>
          <xsl:with-param name="n" select="floor($s div 3600)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'days-before'"/>
          <xsl:with-param name="n" select="floor($s div 86400)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A story's own page. The context node is its atom:entry. -->
  <xsl:template match="atom:entry" mode="story">
    <xsl:variable name="original">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="media:thumbnail/@url"/>
      </xsl:call-template>
    </xsl:variable>
    <div class="story" role="article">
      <xsl:if test="@xml:lang and @xml:lang != $language">
        <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      </xsl:if>
      <h1 class="headline"><xsl:value-of select="atom:title"/></h1>
      <p class="meta">
        <xsl:if test="atom:source/atom:title != ''">
          <xsl:call-template name="entry-source"/>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:call-template name="entry-time"/>
        <xsl:if test="agg:also">
          <xsl:text> · </xsl:text>
          <a class="sources" href="#sources"><xsl:call-template name="n-sources"/></a>
        </xsl:if>
        <xsl:for-each select="agg:in">
          <xsl:text> · </xsl:text>
          <a class="category" href="{$root}{@slug}/index.html"><xsl:value-of select="@name"/></a>
        </xsl:for-each>
      </p>
      <xsl:if test="$thumb != ''">
        <img class="lead-image" src="{$thumb}" alt=""/>
      </xsl:if>
      <xsl:if test="normalize-space(agg:excerpt) != ''">
        <p class="lead"><xsl:value-of select="agg:excerpt"/></p>
      </xsl:if>
      <xsl:call-template name="enclosures"/>
      <xsl:if test="$original != ''">
        <p class="original">
          <a href="{$original}" rel="noopener">
            <xsl:choose>
              <xsl:when test="normalize-space(atom:source/atom:title) != ''">
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="'read-original'"/>
                  <xsl:with-param name="name" select="normalize-space(atom:source/atom:title)"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:otherwise>
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="'read-original-plain'"/>
                </xsl:call-template>
              </xsl:otherwise>
            </xsl:choose>
          </a>
        </p>
      </xsl:if>
    </div>
    <xsl:if test="agg:also">
      <div class="section" id="sources">
        <h2>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'also-reported'"/>
          </xsl:call-template>
        </h2>
        <ul class="also">
          <xsl:apply-templates select="agg:also"/>
        </ul>
      </div>
    </xsl:if>
    <xsl:if test="/atom:feed/agg:related">
      <div class="section related">
        <h2>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'related'"/>
          </xsl:call-template>
        </h2>
        <ul class="related-list">
          <xsl:apply-templates select="/atom:feed/agg:related"/>
        </ul>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- One other outlet of the story: its name, and its own headline linked to its article. -->
  <xsl:template match="agg:also">
    <xsl:variable name="href">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="@href"/>
      </xsl:call-template>
    </xsl:variable>
    <li>
      <xsl:if test="normalize-space(@source) != ''">
        <span class="source"><xsl:value-of select="@source"/></span>
        <xsl:text>: </xsl:text>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$href != ''">
          <a href="{$href}"><xsl:value-of select="."/></a>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
      </xsl:choose>
    </li>
  </xsl:template>

  <!-- One related story: thumbnail, headline linked to its page, source and time. -->
  <xsl:template match="agg:related">
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="@thumbnail"/>
      </xsl:call-template>
    </xsl:variable>
    <li class="related-story">
      <xsl:if test="$thumb != ''">
        <img class="thumb" src="{$thumb}" alt="" loading="lazy"/>
      </xsl:if>
      <a class="related-title" href="{$root}{@page}"><xsl:value-of select="."/></a>
      <span class="meta">
        <xsl:if test="normalize-space(@source) != ''">
          <span class="source"><xsl:value-of select="@source"/></span>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:if test="@local">
          <span class="date" title="{@local}">
            <xsl:call-template name="local-date">
              <xsl:with-param name="date" select="@local"/>
              <xsl:with-param name="abbr" select="@zone"/>
            </xsl:call-template>
          </span>
        </xsl:if>
      </span>
    </li>
  </xsl:template>

  <!-- archive.html: the day pages by month, each day with its weekday and story count. -->
  <xsl:template name="archive">
    <h1>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'archive'"/>
      </xsl:call-template>
    </h1>
    <p class="updated">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'archive-intro'"/>
      </xsl:call-template>
    </p>
    <xsl:for-each select="agg:archive/agg:day">
      <xsl:variable name="month" select="substring(@date, 1, 7)"/>
      <xsl:if test="not(preceding-sibling::agg:day[1][substring(@date, 1, 7) = $month])">
        <div class="section month">
          <h2>
            <xsl:call-template name="long-month">
              <xsl:with-param name="date" select="@date"/>
            </xsl:call-template>
          </h2>
          <ul class="days-list">
            <xsl:for-each select=". | following-sibling::agg:day[substring(@date, 1, 7) = $month]">
              <li>
                <a href="{$root}{@path}">
                  <span class="day">
                    <xsl:call-template name="long-day">
                      <xsl:with-param name="date" select="@date"/>
                    </xsl:call-template>
                  </span>
                </a>
                <xsl:text> · </xsl:text>
                <span class="count">
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="'n-stories'"/>
                    <xsl:with-param name="n" select="@count"/>
                  </xsl:call-template>
                </span>
              </li>
            </xsl:for-each>
          </ul>
        </div>
      </xsl:if>
    </xsl:for-each>
    <xsl:if test="not(agg:archive/agg:day)">
      <xsl:call-template name="no-stories"/>
    </xsl:if>
    <!-- the digests' archive copies (digest/NAME/DAY.html), newest first -->
    <xsl:if test="agg:digests/agg:profile">
      <div class="section digests">
        <h2>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'digests'"/>
          </xsl:call-template>
        </h2>
        <p class="updated">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'digests-intro'"/>
          </xsl:call-template>
        </p>
        <xsl:for-each select="agg:digests/agg:profile">
          <h3><xsl:value-of select="@name"/></h3>
          <ul class="days-list">
            <xsl:for-each select="agg:copy">
              <li>
                <a href="{$root}{@path}">
                  <span class="day">
                    <xsl:call-template name="long-day">
                      <xsl:with-param name="date" select="@date"/>
                    </xsl:call-template>
                  </span>
                </a>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:for-each>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- sources.html: one item per feed, a list that reads on a phone. -->
  <xsl:template name="sources">
    <h1>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'sources'"/>
      </xsl:call-template>
    </h1>
    <p>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'n-feeds'"/>
        <xsl:with-param name="n" select="count(agg:sources/agg:source)"/>
      </xsl:call-template>
    </p>
    <ul class="sources-list">
      <xsl:for-each select="agg:sources/agg:source">
        <xsl:variable name="site_url">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="agg:site"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:variable name="url">
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="agg:url"/>
          </xsl:call-template>
        </xsl:variable>
        <li>
          <xsl:if test="agg:last-error or agg:gone">
            <xsl:attribute name="class">failing</xsl:attribute>
          </xsl:if>
          <p class="source-name">
            <xsl:choose>
              <xsl:when test="$site_url != ''">
                <a href="{$site_url}"><xsl:value-of select="agg:title"/></a>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="agg:title"/></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="$url != ''">
              <xsl:text> </xsl:text>
              <a class="feed" href="{$url}">
                <xsl:text>(</xsl:text>
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="'feed'"/>
                </xsl:call-template>
                <xsl:text>)</xsl:text>
              </a>
            </xsl:if>
          </p>
          <p class="meta">
            <xsl:for-each select="agg:in">
              <a href="{$root}{@slug}/index.html"><xsl:value-of select="@name"/></a>
              <xsl:text> · </xsl:text>
            </xsl:for-each>
            <span class="status">
              <xsl:choose>
                <xsl:when test="agg:gone">
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="'gone'"/>
                  </xsl:call-template>
                </xsl:when>
                <xsl:when test="agg:last-error">
                  <xsl:if test="agg:state = 'DEAD'">
                    <xsl:call-template name="msg">
                      <xsl:with-param name="key" select="'dead'"/>
                    </xsl:call-template>
                  </xsl:if>
                  <span class="error"><xsl:value-of select="agg:last-error"/></span>
                  <xsl:if test="number(agg:failures) &gt; 1">
                    <xsl:call-template name="msg">
                      <xsl:with-param name="key" select="'failures'"/>
                      <xsl:with-param name="n" select="agg:failures"/>
                    </xsl:call-template>
                  </xsl:if>
                </xsl:when>
                <xsl:when test="agg:last-success">
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="'ok'"/>
                  </xsl:call-template>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="'not-fetched'"/>
                  </xsl:call-template>
                </xsl:otherwise>
              </xsl:choose>
            </span>
            <xsl:text> · </xsl:text>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'last-success'"/>
            </xsl:call-template>
            <xsl:text> </xsl:text>
            <span class="date">
              <xsl:choose>
                <xsl:when test="agg:last-success">
                  <xsl:call-template name="local-date">
                    <xsl:with-param name="date" select="agg:last-success/@local"/>
                    <xsl:with-param name="abbr" select="agg:last-success/@local-zone"/>
                  </xsl:call-template>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="'never'"/>
                  </xsl:call-template>
                </xsl:otherwise>
              </xsl:choose>
            </span>
            <xsl:text> · </xsl:text>
            <span class="count">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'n-stories'"/>
                <xsl:with-param name="n" select="agg:entries"/>
              </xsl:call-template>
            </span>
          </p>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>
</xsl:stylesheet>
