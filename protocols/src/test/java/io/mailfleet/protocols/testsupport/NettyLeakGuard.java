package io.mailfleet.protocols.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Fails a test class when Netty's leak detector reports a {@code LEAK} during or before it, instead of the
 * report scrolling by in the log. Registered for every test class of the modules that use Netty (protocols,
 * and ops through the protocols test jar) by {@code META-INF/services} and JUnit's extension auto-detection,
 * which the root pom switches on together with {@code -Dio.netty.leakDetection.level=paranoid}.
 */
public final class NettyLeakGuard implements BeforeAllCallback, AfterAllCallback {

    /** Netty logs leaks through this logger (SLF4J, so logback in the tests). */
    static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) during or before "
                    + context.getRequiredTestClass().getName() + " (a buffer was garbage-collected without release):\n"
                    + String.join("\n\n", leaks));
        }
    }

    /**
     * Lets the garbage collector find unreleased buffers, makes the detector look (it polls on allocation) and
     * returns the leaks reported since the last call.
     */
    public static List<String> collectLeaks() throws InterruptedException {
        install();
        for (int round = 0; round < 2; round++) {
            System.gc();
            Thread.sleep(20); // reference processing runs after the collection, on its own thread
            for (ByteBufAllocator a : List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT,
                    ByteBufAllocator.DEFAULT)) {
                a.heapBuffer(1).release();
                a.directBuffer(1).release();
            }
            Unpooled.buffer(1).release();
        }
        synchronized (LEAKS) {
            List<String> copy = List.copyOf(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        if (!logger.isErrorEnabled()) {
            logger.setLevel(Level.ERROR); // a test log configuration must not hide the reports we fail on
        }
        AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String message = event.getFormattedMessage();
                if (event.getLevel().isGreaterOrEqual(Level.ERROR) && message != null && message.contains("LEAK:")) {
                    synchronized (LEAKS) {
                        LEAKS.add(message);
                    }
                }
            }
        };
        recorder.setName("netty-leak-guard");
        recorder.setContext(logger.getLoggerContext());
        recorder.start();
        logger.addAppender(recorder);
        installed = true;
    }
}
