<?xml version="1.0" encoding="UTF-8"?>
<!--
  digest-html.xsl - the text/html part of the digest mail, also published
  as the archive copy (output_dir/digest/NAME/DATE.html).

  Mail clients are not browsers: Gmail drops <style> blocks in some views
  and rewrites class names, Outlook renders with Word, Apple Mail zooms.
  So the layout is nested tables of presentation role, a fixed 600 pixel
  column that shrinks (max-width) on phones, every style inline on the
  element it applies to, images with width, an empty alt (they are decorative: the headline is
  beside them, and mail clients block images by default) and border 0, web-safe
  font stacks with Korean fallbacks, and no classes, scripts or external
  stylesheets. Everything from feeds is output as text, and links are
  kept only when they are http(s).

  Input: the digest document (entries grouped by agg:category, newest
  first). Parameters (strings): site_name, site_link, profile, date, since,
  until, count, list_unsubscribe, archive_url, generated, language ("en"
  or "ko": the words from messages.xsl).
  Copy this file (and common.xsl, messages.xsl) to your templates directory to change it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:agg="http://aggregator.invalid/ns/1.0"
    xmlns:media="http://search.yahoo.com/mrss/"
    exclude-result-prefixes="atom agg media">

  <xsl:import href="common.xsl"/>
  <xsl:import href="messages.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:param name="profile" select="''"/>
  <xsl:param name="date" select="''"/>
  <xsl:param name="since" select="''"/>
  <xsl:param name="until" select="''"/>
  <!-- The number of stories (the "count" parameter says the same). -->
  <xsl:variable name="stories" select="count(/atom:feed/atom:entry)"/>
  <xsl:param name="list_unsubscribe" select="''"/>
  <xsl:param name="archive_url" select="''"/>

  <!-- keep-all: Korean lines break between words, not inside them. -->
  <xsl:variable name="font">font-family:Arial,Helvetica,'Apple SD Gothic Neo','Malgun Gothic','Noto Sans KR',sans-serif;word-break:keep-all;overflow-wrap:break-word;</xsl:variable>
  <xsl:variable name="site">
    <xsl:choose>
      <xsl:when test="$site_name != ''"><xsl:value-of select="$site_name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="/atom:feed/atom:title"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <!-- The first List-Unsubscribe URL that a person can click (http(s), else mailto). -->
  <xsl:variable name="unsubscribe">
    <xsl:variable name="first" select="normalize-space(translate(substring-before(concat($list_unsubscribe, ','), ','), '&lt;&gt;', ''))"/>
    <xsl:variable name="safe">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="$first"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$safe != ''"><xsl:value-of select="$safe"/></xsl:when>
      <xsl:when test="starts-with($first, 'mailto:')"><xsl:value-of select="$first"/></xsl:when>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <xsl:apply-templates select="atom:feed"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <html lang="{$language}">
      <head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="x-apple-disable-message-reformatting" content=""/>
        <title><xsl:value-of select="concat($site, ' - ', $date)"/></title>
      </head>
      <body style="margin:0;padding:0;background-color:#f2f3f5;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"
               bgcolor="#f2f3f5" style="width:100%;background-color:#f2f3f5;">
          <tr>
            <td align="center" style="padding:16px 8px;">
              <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"
                     bgcolor="#ffffff"
                     style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #dcdfe4;">
                <tr>
                  <td style="padding:20px 24px 12px 24px;{$font}color:#1d1f23;">
                    <h1 style="margin:0;font-size:22px;line-height:28px;font-weight:bold;{$font}color:#1d1f23;">
                      <xsl:value-of select="$site"/>
                    </h1>
                    <p style="margin:4px 0 0 0;font-size:14px;line-height:20px;{$font}color:#5f6670;">
                      <xsl:value-of select="$date"/>
                      <xsl:text> · </xsl:text>
                      <xsl:call-template name="msg"><xsl:with-param name="key" select="'n-stories'"/><xsl:with-param name="n" select="$stories"/></xsl:call-template>
                    </p>
                  </td>
                </tr>
                <xsl:apply-templates select="atom:entry"/>
                <xsl:if test="not(atom:entry)">
                  <tr>
                    <td style="padding:12px 24px 20px 24px;font-size:15px;line-height:22px;{$font}color:#1d1f23;">
                      <xsl:call-template name="msg"><xsl:with-param name="key" select="'digest-nothing'"/></xsl:call-template>
                    </td>
                  </tr>
                </xsl:if>
                <tr>
                  <td style="padding:16px 24px 20px 24px;border-top:1px solid #dcdfe4;font-size:12px;line-height:18px;{$font}color:#5f6670;">
                    <xsl:if test="$archive_url != ''">
                      <a href="{$archive_url}" style="color:#5f6670;text-decoration:underline;"><xsl:call-template name="msg"><xsl:with-param name="key" select="'read-on-web'"/></xsl:call-template></a>
                      <xsl:text> · </xsl:text>
                    </xsl:if>
                    <xsl:variable name="home">
                      <xsl:call-template name="safe-url">
                        <xsl:with-param name="url" select="$site_link"/>
                      </xsl:call-template>
                    </xsl:variable>
                    <xsl:if test="$home != ''">
                      <a href="{$home}" style="color:#5f6670;text-decoration:underline;"><xsl:call-template name="msg"><xsl:with-param name="key" select="'all-stories'"/></xsl:call-template></a>
                    </xsl:if>
                    <xsl:if test="$unsubscribe != ''">
                      <xsl:text> · </xsl:text>
                      <a href="{$unsubscribe}" style="color:#5f6670;text-decoration:underline;"><xsl:call-template name="msg"><xsl:with-param name="key" select="'unsubscribe'"/></xsl:call-template></a>
                    </xsl:if>
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="link">
      <xsl:call-template name="entry-link"/>
    </xsl:variable>
    <xsl:variable name="thumb">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="media:thumbnail/@url"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="title" select="normalize-space(atom:title)"/>
    <xsl:variable name="excerpt" select="normalize-space(agg:excerpt)"/>
    <xsl:if test="not(preceding-sibling::atom:entry[1]/agg:category = agg:category)">
      <tr>
        <td style="padding:16px 24px 4px 24px;">
          <h2 style="margin:0;padding:0 0 4px 0;font-size:13px;line-height:18px;font-weight:bold;letter-spacing:1px;text-transform:uppercase;{$font}color:#b0306a;border-bottom:2px solid #b0306a;">
            <xsl:value-of select="agg:category"/>
          </h2>
        </td>
      </tr>
    </xsl:if>
    <tr>
      <td style="padding:10px 24px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;">
          <tr>
            <xsl:if test="$thumb != ''">
              <td width="96" valign="top" style="width:96px;padding:2px 12px 0 0;">
                <xsl:choose>
                  <xsl:when test="$link != ''">
                    <a href="{$link}"><img src="{$thumb}" width="96" alt="" border="0"
                         style="display:block;width:96px;max-width:96px;height:auto;border:0;outline:none;font-size:11px;line-height:13px;color:#8a9099;"/></a>
                  </xsl:when>
                  <xsl:otherwise>
                    <img src="{$thumb}" width="96" alt="" border="0"
                         style="display:block;width:96px;max-width:96px;height:auto;border:0;outline:none;font-size:11px;line-height:13px;color:#8a9099;"/>
                  </xsl:otherwise>
                </xsl:choose>
              </td>
            </xsl:if>
            <td valign="top" style="{$font}">
              <p style="margin:0;font-size:17px;line-height:23px;font-weight:bold;{$font}">
                <xsl:choose>
                  <xsl:when test="$link != ''">
                    <a href="{$link}" style="color:#1a4fa0;text-decoration:none;"><xsl:value-of select="$title"/></a>
                  </xsl:when>
                  <xsl:otherwise>
                    <span style="color:#1d1f23;"><xsl:value-of select="$title"/></span>
                  </xsl:otherwise>
                </xsl:choose>
              </p>
              <p style="margin:3px 0 0 0;font-size:12px;line-height:17px;{$font}color:#5f6670;">
                <xsl:if test="normalize-space(atom:source/atom:title) != ''">
                  <xsl:value-of select="normalize-space(atom:source/atom:title)"/>
                  <xsl:text> · </xsl:text>
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
              </p>
              <xsl:if test="$excerpt != ''">
                <p style="margin:6px 0 0 0;font-size:14px;line-height:21px;{$font}color:#33373d;">
                  <xsl:choose>
                    <xsl:when test="string-length($excerpt) &gt; 280">
                      <xsl:value-of select="concat(substring($excerpt, 1, 277), '...')"/>
                    </xsl:when>
                    <xsl:otherwise><xsl:value-of select="$excerpt"/></xsl:otherwise>
                  </xsl:choose>
                </p>
              </xsl:if>
              <xsl:if test="agg:also">
                <p style="margin:6px 0 0 0;font-size:13px;line-height:19px;{$font}color:#5f6670;">
                  <xsl:call-template name="msg"><xsl:with-param name="key" select="'also-reported'"/></xsl:call-template>
                  <xsl:text>:</xsl:text>
                  <xsl:for-each select="agg:also">
                    <xsl:variable name="href">
                      <xsl:call-template name="safe-url">
                        <xsl:with-param name="url" select="@href"/>
                      </xsl:call-template>
                    </xsl:variable>
                    <br/>
                    <xsl:if test="normalize-space(@source) != ''">
                      <span style="color:#33373d;"><xsl:value-of select="normalize-space(@source)"/></span>
                      <xsl:text>: </xsl:text>
                    </xsl:if>
                    <xsl:choose>
                      <xsl:when test="$href != ''">
                        <a href="{$href}" style="color:#1a4fa0;text-decoration:none;"><xsl:value-of select="normalize-space(.)"/></a>
                      </xsl:when>
                      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
                    </xsl:choose>
                  </xsl:for-each>
                </p>
              </xsl:if>
            </td>
          </tr>
        </table>
      </td>
    </tr>
  </xsl:template>
</xsl:stylesheet>
