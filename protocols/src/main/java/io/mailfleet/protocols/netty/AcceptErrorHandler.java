package io.mailfleet.protocols.netty;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sits on a listener's server channel and takes the errors of {@code accept()} (above all
 * {@code Too many open files}): one warning per interval with the count instead of a stack trace per
 * event, and accepting paused for a moment so a full descriptor table is not polled in a busy loop
 * (as Tomcat and Jetty do). Netty's own acceptor would pause too, but then log every event.
 */
final class AcceptErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptErrorHandler.class);

    static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);
    static final Duration PAUSE = Duration.ofMillis(500);

    private final String listener;
    private final EventThrottle throttle;
    private final Consumer<String> log;

    AcceptErrorHandler(String listener) {
        this(listener, new EventThrottle(REPORT_INTERVAL), LOG::warn);
    }

    AcceptErrorHandler(String listener, EventThrottle throttle, Consumer<String> log) {
        this.listener = listener;
        this.throttle = throttle;
        this.log = log;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        long n = throttle.record();
        if (n > 0) {
            log.accept(listener + ": accepting connections failed " + n + " time(s) since the last report, latest: "
                    + cause + "; accepting pauses " + PAUSE.toMillis() + " ms after each failure");
        }
        ChannelConfig config = ctx.channel().config();
        if (cause instanceof IOException && config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    config.setAutoRead(true);
                }
            }, PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
