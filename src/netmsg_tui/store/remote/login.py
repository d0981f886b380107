"""Whose a token is, asked of a network server before ``netmsg login`` keeps the token."""

from __future__ import annotations

from ...model import CustomerContact, CustomerProfile, Identity
from ...wire import customer, identity
from ..base import Unauthorized
from .http import Http


async def token_holder(url: str, token: str) -> Identity | CustomerProfile:
    """The supplier user, or the customer contact, that ``token`` speaks for on the server at
    ``url`` (one try, no retries). Raises Unauthorized, Unavailable."""
    http = Http(url, token)
    try:
        try:
            return identity(await http.json("GET", "/api/v1/me", retry=False))
        except Unauthorized:
            me = await http.json("GET", "/api/v1/customer/me", retry=False)
            person = me["contact"]
            contact = CustomerContact(person["id"], person["name"], person["email"])
            return CustomerProfile(contact, customer(me["customer"]))
    finally:
        await http.close()
