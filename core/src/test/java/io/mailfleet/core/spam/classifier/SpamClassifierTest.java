package io.mailfleet.core.spam.classifier;

import io.mailfleet.core.spam.SpamSymbol;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier on generated mail: it refuses to judge before min_learns of each kind, then separates
 * held-out spam from ham; per-account models take over once they learned enough; text comes decoded
 * from base64 and HTML parts; features stay inside the bounded table.
 */
class SpamClassifierTest {

    /** Models as {@link ModelTable}s in a map: the same tables the cluster entity holds. */
    private static final class MapStore implements ModelStore {
        final Map<String, ModelTable> models = new HashMap<>();

        @Override
        public CompletionStage<ModelCounts> counts(String model, int[] features) {
            return CompletableFuture.completedFuture(models.getOrDefault(model, ModelTable.empty()).counts(features));
        }

        @Override
        public CompletionStage<Long> learn(String model, int[] features, boolean spam) {
            ModelTable t = models.getOrDefault(model, ModelTable.empty()).learn(features, spam);
            models.put(model, t);
            return CompletableFuture.completedFuture(spam ? t.learnedSpam() : t.learnedHam());
        }
    }

    private static Optional<SpamSymbol> classify(SpamClassifier c, String account, byte[] m) {
        return c.classify(account, Features.of(m)).toCompletableFuture().join();
    }

    @Test
    void refusesToJudgeBeforeMinLearnsOfBothKinds() {
        MapStore store = new MapStore();
        SpamClassifier c = new SpamClassifier(store, new BayesClassifier(20));
        GeneratedMail mail = new GeneratedMail(1);
        for (int i = 0; i < 20; i++) {
            c.learn(null, Features.of(mail.spam(i)), true).toCompletableFuture().join();
        }
        for (int i = 0; i < 19; i++) {
            c.learn(null, Features.of(mail.ham(i)), false).toCompletableFuture().join();
        }
        assertTrue(classify(c, null, mail.spam(100)).isEmpty(), "19 ham learned: no verdict");
        c.learn(null, Features.of(mail.ham(19)), false).toCompletableFuture().join();
        assertEquals("BAYES_SPAM", classify(c, null, mail.spam(101)).orElseThrow().name());
    }

    @Test
    void separatesHeldOutSpamFromHam() {
        MapStore store = new MapStore();
        SpamClassifier c = new SpamClassifier(store, new BayesClassifier(BayesClassifier.DEFAULT_MIN_LEARNS));
        GeneratedMail mail = new GeneratedMail(7);
        for (int i = 0; i < 200; i++) {
            c.learn(null, Features.of(mail.spam(i)), true).toCompletableFuture().join();
            c.learn(null, Features.of(mail.ham(i)), false).toCompletableFuture().join();
        }
        int spamCaught = 0;
        int hamAsSpam = 0;
        int hamCaught = 0;
        for (int i = 1000; i < 1200; i++) {
            Optional<SpamSymbol> s = classify(c, null, mail.spam(i));
            if (s.isPresent() && s.get().name().equals("BAYES_SPAM")) {
                spamCaught++;
                assertTrue(s.get().weight() > 0 && s.get().weight() <= SpamClassifier.SPAM_WEIGHT);
            }
            Optional<SpamSymbol> h = classify(c, null, mail.ham(i));
            if (h.isPresent() && h.get().name().equals("BAYES_SPAM")) {
                hamAsSpam++;
            }
            if (h.isPresent() && h.get().name().equals("BAYES_HAM")) {
                hamCaught++;
                assertTrue(h.get().weight() < 0);
            }
        }
        assertTrue(spamCaught >= 195, "spam recall on held-out mail: " + spamCaught + "/200");
        assertEquals(0, hamAsSpam, "ham judged spam");
        assertTrue(hamCaught >= 195, "ham recognised: " + hamCaught + "/200");
    }

    @Test
    void anAccountsOwnModelDecidesOnceItLearnedEnough() {
        MapStore store = new MapStore();
        SpamClassifier c = new SpamClassifier(store, new BayesClassifier(40));
        GeneratedMail mail = new GeneratedMail(3);
        // globally the "spam" vocabulary is ham and the other way round: bob reads what others call spam
        for (int i = 0; i < 40; i++) {
            store.learn(ModelStore.GLOBAL, Features.of(mail.spam(i)), false);
            store.learn(ModelStore.GLOBAL, Features.of(mail.ham(i)), true);
        }
        byte[] probe = mail.spam(500);
        assertEquals("BAYES_HAM", classify(c, "bob@example.com", probe).orElseThrow().name(), "global model");
        for (int i = 100; i < 140; i++) {
            store.learn(ModelStore.account("Bob@example.com"), Features.of(mail.spam(i)), true);
            store.learn(ModelStore.account("bob@example.com"), Features.of(mail.ham(i)), false);
        }
        Optional<SpamSymbol> judged = classify(c, "bob@example.com", probe);
        assertTrue(judged.isPresent(), "bob's own model is sure");
        SpamSymbol own = judged.get();
        assertEquals("BAYES_SPAM", own.name(), "bob's own model: " + own);
        assertTrue(own.description().contains("user"), own.description());
        assertEquals("BAYES_HAM", classify(c, "carol@example.com", probe).orElseThrow().name(), "others: global");
    }

    @Test
    void learningGoesIntoTheAccountAndTheGlobalModel() {
        MapStore store = new MapStore();
        SpamClassifier c = new SpamClassifier(store, new BayesClassifier(1));
        c.learn("alice@example.com", Features.of(new GeneratedMail(4).spam(1)), true).toCompletableFuture().join();
        assertEquals(1, store.models.get(ModelStore.GLOBAL).learnedSpam());
        assertEquals(1, store.models.get(ModelStore.account("alice@example.com")).learnedSpam());
        assertEquals(0, store.models.get(ModelStore.GLOBAL).learnedHam());
    }

    @Test
    void textIsDecodedFromBase64AndHtml() {
        String b64 = "Subject: =?utf-8?B?R3LDvMOfZQ==?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nd2lubmVyIHByaXpl\r\n";
        String text = MessageText.of(b64.getBytes(StandardCharsets.US_ASCII));
        assertTrue(text.contains("winner prize"), text);
        assertTrue(text.contains("subject:Grüße"), text);
        String html = "Content-Type: text/html\r\n\r\n<style>.x{color:red}</style><b>cheap</b>&amp;<a href=\"http://x.example/p\">pills</a>";
        String h = MessageText.of(html.getBytes(StandardCharsets.US_ASCII));
        assertTrue(h.contains("cheap") && h.contains("pills") && h.contains("http://x.example/p"), h);
        assertFalse(h.contains("color") || h.contains("<b>"), h);
        assertTrue(Tokens.of(h).contains("http://x.example/p"));
    }

    @Test
    void hostileHtmlIsReadInOnePassWithoutOverflowingTheStack() {
        // found by the SpamAssassin corpus: a regular expression over tags recursed per character
        String huge = "Content-Type: text/html\r\n\r\n<p title=\"" + "x'".repeat(100_000) + "\">cheap</p>"
                + "<!-- hidden --><script>var a = '<b>';</script><style>p{}</style>pills<a href='http://x.example/'>";
        String text = MessageText.of(huge.getBytes(StandardCharsets.US_ASCII));
        assertTrue(text.contains("cheap") && text.contains("pills"), text.substring(0, Math.min(200, text.length())));
        assertFalse(text.contains("hidden") || text.contains("var a"), text);
        assertTrue(Features.of(("Content-Type: text/html\r\n\r\n<" + "a".repeat(300_000)).getBytes(StandardCharsets.US_ASCII))
                .length >= 0);
    }

    @Test
    void featuresStayInsideTheBoundedTable() {
        StringBuilder huge = new StringBuilder("Subject: x\r\n\r\n");
        for (int i = 0; i < 200_000; i++) {
            huge.append("w").append(i).append(' ');
        }
        int[] f = Features.of(huge.toString().getBytes(StandardCharsets.US_ASCII));
        assertTrue(f.length <= Features.MAX_FEATURES);
        for (int x : f) {
            assertTrue(x >= 0 && x < Features.TABLE_SIZE);
        }
        assertEquals(0, ModelTable.empty().spam().length, "a model nobody taught allocates nothing");
        ModelTable t = ModelTable.empty().learn(f, true);
        assertEquals(Features.TABLE_SIZE, t.spam().length, "the table never grows");
        assertEquals(0, t.ham().length);
        assertEquals(0, t.counts(f).ham()[0]);
    }

    @Test
    void chiSquareTailIsRight() {
        assertEquals(1.0, BayesClassifier.chi2Q(0, 4), 1e-9);
        assertEquals(Math.exp(-1), BayesClassifier.chi2Q(2, 2), 1e-9);
    }
}
