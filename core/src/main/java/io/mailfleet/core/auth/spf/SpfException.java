package io.mailfleet.core.auth.spf;

/** Ends an SPF evaluation early with temperror or permerror; never leaves the package. */
final class SpfException extends RuntimeException {

    private final SpfResult result;

    SpfException(SpfResult result, String message) {
        super(message, null, false, false);
        this.result = result;
    }

    static SpfException perm(String message) {
        return new SpfException(SpfResult.PERMERROR, message);
    }

    static SpfException temp(String message) {
        return new SpfException(SpfResult.TEMPERROR, message);
    }

    SpfResult result() {
        return result;
    }
}
