package io.mailfleet.protocols.managesieve.handler;

/** RFC 5804 §1.6 script names: no control characters, no line or paragraph separators, not empty. */
final class ScriptNames {

    private static final int MAX_NAME_LENGTH = 256;

    private ScriptNames() {
    }

    /** @throws IllegalArgumentException naming the problem when {@code name} is not a valid script name */
    static String check(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Invalid script name (1 to " + MAX_NAME_LENGTH + " characters).");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                throw new IllegalArgumentException("Invalid script name (control character).");
            }
        }
        return name;
    }
}
