"""The auth service: eID cards (PKCS#11), PIN tries, sessions and their audit trail."""
