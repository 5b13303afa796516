/** A toy dialect, built as the README's "Adding a provider" says, to keep that section true. */
package io.inferenceworker.provider.toy;
