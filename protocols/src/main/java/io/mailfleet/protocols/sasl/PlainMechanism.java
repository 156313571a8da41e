package io.mailfleet.protocols.sasl;

import java.util.Arrays;

/** RFC 4616 PLAIN: one response {@code [authzid] NUL authcid NUL passwd}, after an empty challenge if none was sent up front. */
public final class PlainMechanism implements SaslMechanism {

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public boolean sendsSecretInClear() {
        return true;
    }

    @Override
    public SaslExchange newExchange() {
        return new SaslExchange() {
            @Override
            public byte[] initialChallenge() {
                return new byte[0];
            }

            @Override
            public SaslStep evaluate(byte[] response) {
                int first = indexOfNul(response, 0);
                int second = first < 0 ? -1 : indexOfNul(response, first + 1);
                if (second < 0 || indexOfNul(response, second + 1) >= 0) {
                    return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
                }
                return SaslIdentityRules.password(Arrays.copyOfRange(response, 0, first),
                        Arrays.copyOfRange(response, first + 1, second),
                        Arrays.copyOfRange(response, second + 1, response.length));
            }
        };
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
