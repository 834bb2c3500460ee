import { describe, expect, it } from '@jest/globals'
import { codeBlock, escapeText, fenceFor, inlineCode, neutralizeMentions, ZWJ } from '@tfpipe/markdown/escape.js'
import { fitCodeBlock, fitLines, joinedLength, takeLines } from '@tfpipe/markdown/budget.js'
import { planLineToDiff, planTextToDiffLines } from '@tfpipe/markdown/diff.js'

describe('escape', () => {
  it('neutralises @user and @org/team mentions but leaves e-mail-like text readable', () => {
    expect(neutralizeMentions('ping @octocat and @acme/platform-team')).toBe(
      `ping @${ZWJ}octocat and @${ZWJ}acme/platform-team`,
    )
    expect(neutralizeMentions('@')).toBe('@')
  })

  it('escapes HTML, comments and markdown punctuation outside code', () => {
    const out = escapeText('</details><!-- x --> *bold* `code` [link](x) | @me')
    expect(out).not.toMatch(/<|>/)
    expect(out).toContain('&lt;/details&gt;&lt;\\!-- x --&gt;')
    expect(out).toContain('\\*bold\\*')
    expect(out).toContain('\\`code\\`')
    expect(out).toContain(`@${ZWJ}me`)
    expect(escapeText('a\nb')).toBe('a b')
  })

  it('fences inline code with more backticks than the text holds', () => {
    expect(inlineCode('aws_s3.b')).toBe('`aws_s3.b`')
    expect(inlineCode('a`b')).toBe('``a`b``')
    expect(inlineCode('```')).toBe('```` ``` ````')
    expect(inlineCode('two\nlines')).not.toContain('\n')
    expect(inlineCode('x'.repeat(500), 50).length).toBeLessThanOrEqual(52)
  })

  it('fences code blocks so a fence inside the text cannot close them', () => {
    expect(fenceFor('plain')).toBe('```')
    expect(fenceFor('```\nrm -rf /\n```')).toBe('````')
    const block = codeBlock('x\n`````\ny', 'diff')
    expect(block.startsWith('``````diff\n')).toBe(true)
    expect(block.endsWith('\n``````')).toBe(true)
  })
})

describe('budget', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`)

  it('cuts on line boundaries only', () => {
    const cut = takeLines(lines, 30)
    expect(cut.text.split('\n').every((l) => lines.includes(l))).toBe(true)
    expect(cut.text.length).toBeLessThanOrEqual(30)
    expect(cut.kept + cut.omitted).toBe(100)
  })

  it('fitLines keeps everything that fits and otherwise appends the pointer', () => {
    expect(fitLines(lines, 10_000, () => 'P')).toBe(lines.join('\n'))
    const out = fitLines(lines, 200, (n) => `… ${n} more`)
    expect(out.length).toBeLessThanOrEqual(200)
    const kept = out.split('\n').length - 1
    expect(out.endsWith(`… ${100 - kept} more`)).toBe(true)
    expect(fitLines(lines, 3, () => 'pointer too long')).toBe('')
  })

  it('fitCodeBlock always closes the fence and puts the pointer outside it', () => {
    const text = ['```', 'inside', '```', ...lines]
    const out = fitCodeBlock(text, 120, 'diff', (n) => `✂️ ${n} more`)
    expect(out.length).toBeLessThanOrEqual(120)
    expect(out.startsWith('````diff\n')).toBe(true)
    const [, after] = out.split('\n````\n')
    expect(after).toMatch(/^✂️ \d+ more$/)
    expect(fitCodeBlock(['a', 'b'], 100, 'diff', () => 'P')).toBe('```diff\na\nb\n```')
    expect(joinedLength(['ab', 'c'])).toBe(4)
  })
})

describe('plan text to diff', () => {
  it('moves terraform markers to column 0 keeping the columns', () => {
    expect(planLineToDiff('  + resource "a" "b" {')).toBe('+   resource "a" "b" {')
    expect(planLineToDiff('      - tags = {')).toBe('-       tags = {')
    expect(planLineToDiff('  ~ ami = "a" -> "b"')).toBe('!   ami = "a" -> "b"')
    expect(planLineToDiff('-/+ resource "x" "y" {')).toBe('-/+ resource "x" "y" {')
    expect(planLineToDiff('+/- resource "x" "y" {')).toBe('+/- resource "x" "y" {')
    expect(planLineToDiff('  # aws_x.y will be created')).toBe('    # aws_x.y will be created')
    expect(planLineToDiff('')).toBe('')
  })

  it('drops blank lines around the text', () => {
    expect(planTextToDiffLines('\n\n  + a\n\n')).toEqual(['+   a'])
  })
})
