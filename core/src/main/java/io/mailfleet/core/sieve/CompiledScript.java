package io.mailfleet.core.sieve;

import java.util.List;
import java.util.Set;

/** A parsed and validated Sieve script, immutable and reusable for any number of messages. */
public final class CompiledScript {
    private final String name;
    private final Set<String> extensions;
    private final List<Invocation> commands;

    CompiledScript(String name, Set<String> extensions, List<Invocation> commands) {
        this.name = name;
        this.extensions = Set.copyOf(extensions);
        this.commands = List.copyOf(commands);
    }

    /** Name given at compile time (file or ManageSieve script name), used in logs. */
    public String name() {
        return name;
    }

    /** Extensions named by the script's {@code require} commands. */
    public Set<String> extensions() {
        return extensions;
    }

    List<Invocation> commands() {
        return commands;
    }

    @Override
    public String toString() {
        return "CompiledScript[" + name + "]";
    }
}
