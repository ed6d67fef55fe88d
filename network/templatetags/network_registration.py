"""The signed link of a registration's page, in the templates that list registrations."""

from django import template

from network.models import Registration
from network.tokens import registration_token

register = template.Library()


@register.filter
def page_token(registration: Registration) -> str:
    """``{% url 'network:registration' registration|page_token %}``"""
    return registration_token(registration)
