package io.mailfleet.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Adds the {@link CommandPlugin}s found on the class path to a command tree, each at its place in the help list. */
final class CommandPlugins {

    private CommandPlugins() {
    }

    /** Adds every plugin whose parent lies in the tree of {@code root} (the whole tree, or a group run on its own). */
    static void addTo(CommandLine root, CommandLine.IFactory factory) {
        for (CommandPlugin plugin : ServiceLoader.load(CommandPlugin.class, CommandPlugin.class.getClassLoader())) {
            CommandLine parent = find(root, plugin.parent());
            if (parent != null) {
                insert(parent, new CommandLine(plugin.command(), factory), plugin.before());
            }
        }
    }

    /** The command at {@code path} below {@code ./mailfleet}, when {@code root} holds it; else null. */
    private static CommandLine find(CommandLine root, List<String> path) {
        List<String> rest = path;
        if (!(root.getCommandSpec().userObject() instanceof Cli)) {
            // a group run on its own (the tests do): it is the first word of the path
            if (path.isEmpty() || !path.get(0).equals(root.getCommandName())) {
                return null;
            }
            rest = path.subList(1, path.size());
        }
        CommandLine at = root;
        for (String word : rest) {
            at = at.getSubcommands().get(word);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    /** Adds {@code command} to {@code parent} right before the sibling {@code before} (at the end when there is none). */
    private static void insert(CommandLine parent, CommandLine command, String before) {
        CommandLine.Model.CommandSpec spec = parent.getCommandSpec();
        List<Map.Entry<String, CommandLine>> after = new ArrayList<>();
        boolean found = false;
        for (Map.Entry<String, CommandLine> sub : List.copyOf(spec.subcommands().entrySet())) {
            found |= sub.getKey().equals(before);
            if (found) {
                after.add(sub);
            }
        }
        after.forEach(sub -> spec.removeSubcommand(sub.getKey()));
        parent.addSubcommand(command);
        after.forEach(sub -> parent.addSubcommand(sub.getKey(), sub.getValue()));
    }
}
