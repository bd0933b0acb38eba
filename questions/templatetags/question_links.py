"""Links to questions in lists, built without the URL resolver (see prep.url_shapes)."""

from django import template

from prep.url_shapes import slug_url

register = template.Library()


@register.simple_tag
def question_url(guide, question) -> str:
    """The question page of `question` in `guide`: what `{% url 'questions:detail' … %}` gives.

    Takes the guide apart from the question because lists load a guide's questions without
    their guide (it is the page's own)."""
    return slug_url("questions:detail", guide_slug=guide.slug, question_slug=question.slug)
