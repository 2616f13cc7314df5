"""Alert e-mails through the SMTP server of the settings (the standard library's smtplib)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


class MailNotConfigured(RuntimeError):
    """SMTP_HOST is empty: the message stays in the outbox until an administrator sets it."""


def send_mail(to: list[str], subject: str, body: str) -> str:
    """Send one plain-text message to ``to``; returns its Message-ID."""
    config = current_app.config
    host = str(config.get("SMTP_HOST") or "")
    if not host:
        raise MailNotConfigured("SMTP_HOST is not set")
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="lantoa")
    message.set_content(body)
    timeout = float(config.get("SMTP_TIMEOUT", 10))
    with smtplib.SMTP(host, int(config["SMTP_PORT"]), timeout=timeout) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)
    return str(message["Message-ID"])
