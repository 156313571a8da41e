package io.mailfleet.server;

import java.security.SecureRandom;

/** The account {@code serve --create-account} makes on start-up when it does not exist yet. */
public record FirstAccount(String address, String password, boolean generated) {

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** An account with a fresh random password (18 characters, about 105 bits). */
    public static FirstAccount withGeneratedPassword(String address) {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return new FirstAccount(address, sb.toString(), true);
    }
}
