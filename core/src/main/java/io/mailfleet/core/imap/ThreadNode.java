package io.mailfleet.core.imap;

import java.util.ArrayList;
import java.util.List;

/** One node of a THREAD result: a message id (0 for a dummy grouping node) and its children. */
public record ThreadNode(long id, List<ThreadNode> children) {

    public ThreadNode {
        children = List.copyOf(children);
    }

    /** The THREAD response data for {@code roots}, e.g. {@code (1)(2 3 (4)(5))}. */
    public static String format(List<ThreadNode> roots) {
        StringBuilder sb = new StringBuilder();
        for (ThreadNode r : roots) {
            sb.append('(');
            r.write(sb);
            sb.append(')');
        }
        return sb.toString();
    }

    private void write(StringBuilder sb) {
        if (id == 0) {
            for (ThreadNode c : children) {
                sb.append('(');
                c.write(sb);
                sb.append(')');
            }
            return;
        }
        sb.append(id);
        if (children.size() == 1) {
            sb.append(' ');
            children.get(0).write(sb);
        } else if (children.size() > 1) {
            sb.append(' ');
            for (ThreadNode c : children) {
                sb.append('(');
                c.write(sb);
                sb.append(')');
            }
        }
    }

    /** Every message id in the tree, depth first. */
    public List<Long> ids() {
        List<Long> out = new ArrayList<>();
        collect(out);
        return out;
    }

    private void collect(List<Long> out) {
        if (id != 0) {
            out.add(id);
        }
        children.forEach(c -> c.collect(out));
    }
}
