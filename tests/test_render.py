"""Rendering is safe for untrusted Markdown and highlights code."""

from desktop.core.render import page_css, plain_text, render_inline, render_markdown


def test_code_is_highlighted_by_pygments():
    html = render_markdown("```python\nimport torch\n```")
    assert 'class="highlight"' in html
    assert '<span class="kn">import</span>' in html


def test_raw_html_and_script_are_shown_as_text():
    html = render_markdown("<script>alert(1)</script>\n\nhello <b onclick='x'>bold</b>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b onclick" not in html


def test_javascript_links_lose_their_target():
    html = render_markdown("[click](javascript:alert(1)) and [web](https://example.org)")
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html


def test_remote_images_are_never_loaded():
    html = render_markdown("![chart](https://tracker.example/pixel.png)")
    assert "<img" not in html
    assert "image-placeholder" in html


def test_inline_render_drops_paragraph():
    assert render_inline("**ZeRO-3** shards parameters") == "<strong>ZeRO-3</strong> shards parameters"


def test_plain_text_strips_markup():
    assert plain_text("## Title\n**bold** `code`") == "Title bold code"


def test_both_themes_have_code_styles():
    assert ".highlight" in page_css(dark=True)
    assert page_css(dark=True) != page_css(dark=False)


def test_lists_and_tables_may_follow_a_paragraph_line():
    html = render_markdown("Steps:\n- one\n- two\n\nCosts:\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<table>" in html


def test_code_fences_keep_list_like_lines():
    html = render_markdown("```text\nIntro\n- not a list\n```")
    assert "<ul>" not in html


def test_text_right_after_a_table_is_a_paragraph():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\nAfterwards we conclude.")
    assert "<p>Afterwards we conclude.</p>" in html
    assert html.count("<tr>") == 2


def test_pre_generated_code_styles_match_pygments():
    from desktop.core.render import code_css, pygments_css

    for dark in (False, True):
        assert code_css(dark) == pygments_css(dark), "run desktop.core.render.write_code_styles()"


def test_code_blocks_lose_the_trailing_newline_qt_would_draw_as_an_empty_line():
    from desktop.core.render import for_qt, render_markdown

    rendered = render_markdown("```python\nx = 1\n```")
    assert "\n</code></pre>" in rendered  # Pygments ends the block with a newline
    assert "\n</code></pre>" not in for_qt(rendered) and "x" in for_qt(rendered)
