package io.mailfleet.server.auth.oauth;

/** What a token check found: the account the token names, or why it was refused (for the log only). */
record TokenVerdict(String account, String refusal) {

    static TokenVerdict valid(String account) {
        return new TokenVerdict(account, null);
    }

    static TokenVerdict refused(String reason) {
        return new TokenVerdict(null, reason);
    }

    boolean isValid() {
        return account != null;
    }
}
