package io.mailfleet.protocols.flow;

import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The received bytes of one message as a Pekko Streams source fed from a channel's event loop. Its
 * materialized {@link Intake} takes the bytes and holds at most {@code window} of them that the
 * stream has not asked for: with the buffer full it has no {@link Demand} (the session's
 * {@link ReadGate} then turns the channel's {@code autoRead} off), and once downstream demand has
 * taken half of them it signals demand again, so a pause moves a good batch, not a few bytes.
 */
public final class ChannelSource extends AbstractGraphStageWithMaterializedValue<SourceShape<ByteString>,
        ChannelSource.Intake> {

    private final Outlet<ByteString> out = Outlet.create("ChannelSource.out");
    private final SourceShape<ByteString> shape = SourceShape.of(out);
    private final long window;

    /** @param window bytes offered and not yet pulled downstream before demand stops */
    public ChannelSource(long window) {
        this.window = window;
    }

    @Override
    public SourceShape<ByteString> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, Intake> createLogicAndMaterializedValuePair(Attributes attributes) {
        Logic logic = new Logic();
        return Pair.create(logic, logic.intake);
    }

    /**
     * The event loop's side of the source: offers, the end of the message, a discard; and the demand
     * the read gate asks. Offered from one thread; the demand signal may come from any.
     */
    public static final class Intake implements Demand {

        private final long window;
        /**
         * One callback for bytes, the end and a discard, so they arrive in the order given (separate
         * callbacks invoked before the stage has started are delivered in no set order).
         */
        private final AsyncCallback<Object> events;
        /** Bytes offered and not yet pushed downstream. */
        private final AtomicLong queued = new AtomicLong();
        /** Completed or failed by the session: nothing more is offered. */
        private boolean closed;
        /** The stage has stopped (completed, failed or cancelled by the sink): input is no longer held back. */
        private volatile boolean stopped;
        /** Waiting for demand; guarded by this. */
        private Runnable signal;
        /** Discarded by the session: nobody is woken any more; guarded by this. */
        private boolean discarded;

        private Intake(long window, AsyncCallback<Object> events) {
            this.window = window;
            this.events = events;
        }

        /** Hands {@code bytes} to the stream; false when the stream has stopped and takes nothing more. */
        public boolean offer(ByteString bytes) {
            if (closed || stopped) {
                return false;
            }
            queued.addAndGet(bytes.size());
            events.invoke(bytes);
            return true;
        }

        /** The message is complete: the stream ends after the bytes offered so far. */
        public void complete() {
            if (!closed && !stopped) {
                closed = true;
                events.invoke(Done.getInstance());
            }
        }

        /** Discards the message: the stream fails at once, bytes still buffered are dropped, nobody is woken. */
        public void fail(Throwable cause) {
            synchronized (this) {
                discarded = true;
                signal = null;
            }
            if (!closed && !stopped) {
                closed = true;
                events.invoke(cause);
            }
        }

        @Override
        public boolean hasDemand() {
            return stopped || queued.get() < window;
        }

        @Override
        public void onDemand(Runnable signal) {
            synchronized (this) {
                if (discarded) {
                    return;
                }
                this.signal = signal;
            }
            // demand may have returned between the caller's check and the registration
            if (hasDemand()) {
                wake();
            }
        }

        private void taken(int n) {
            if (queued.addAndGet(-n) <= window / 2) {
                wake();
            }
        }

        private void stageStopped() {
            stopped = true;
            wake();
        }

        private void wake() {
            Runnable run;
            synchronized (this) {
                run = signal;
                signal = null;
            }
            if (run != null) {
                run.run();
            }
        }
    }

    private final class Logic extends GraphStageLogic {

        private final ArrayDeque<ByteString> buffer = new ArrayDeque<>();
        private final Intake intake;
        private boolean completing;

        Logic() {
            super(shape);
            // callbacks invoked before the stage has started are delivered once it has
            intake = new Intake(window, createAsyncCallback(this::event));
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    ByteString next = buffer.poll();
                    if (next != null) {
                        hand(next);
                    }
                    if (completing && buffer.isEmpty()) {
                        completeStage();
                    }
                }
            });
        }

        private void event(Object event) {
            if (event instanceof ByteString bytes) {
                offered(bytes);
            } else if (event instanceof Throwable cause) {
                failStage(cause);
            } else {
                completed();
            }
        }

        private void offered(ByteString bytes) {
            if (buffer.isEmpty() && isAvailable(out)) {
                hand(bytes);
            } else {
                buffer.add(bytes);
            }
        }

        private void hand(ByteString bytes) {
            push(out, bytes);
            intake.taken(bytes.size());
        }

        private void completed() {
            if (buffer.isEmpty()) {
                completeStage();
            } else {
                completing = true;
            }
        }

        @Override
        public void postStop() {
            buffer.clear();
            intake.stageStopped();
        }
    }
}
