/** Stop-free backup of a running single node's data directory. */
package io.mailfleet.persistence.backup;
