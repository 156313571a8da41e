/** Files only the node's own user may read: directories 0700 and files 0600 whatever the umask. */
package io.mailfleet.core.files;
