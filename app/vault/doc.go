// Package vault is Studio Headshot's private photo vault: the only place
// where imported photos, their thumbnails and the generated headshots are
// kept between runs.
//
// Privacy model, in short:
//
//   - Everything personal (photo bytes, thumbnails, results, original file
//     names and paths, timestamps) is sealed with AES-256-GCM under a random
//     256-bit data key before it reaches the bbolt file vault.db. Bucket keys
//     are random ids. The data key lives in a KeyStore: the freedesktop
//     Secret Service when one is reachable, otherwise a 0600 key file.
//   - bbolt never erases freed pages, so deleting a record is not erasing
//     it. Delivered, Remove and Expire only mark photos for dropping; the
//     re-key then copies every other record under a new data key into a
//     new file, swaps that file in, overwrites the old one and destroys the
//     old key. A photo is gone exactly when the key that opens it is: a
//     re-key that cannot write (full disk) leaves it whole and listed, and
//     it is finished later, never deleted-but-decryptable.
//   - Open authenticates every record; damaged ones are reported and
//     dropped by the same re-key, so no later call meets them.
//   - EraseAll destroys the key, overwrites in place and removes every file
//     the vault created, needing no free space, and starts a fresh empty
//     vault, or, on a full disk, creates it at the first use with room.
//   - An existing data folder is never chmodded; one that other users can
//     write to is refused.
//
// Files the vault creates in Options.Dir (and the only ones it ever removes):
// vault.db, vault.key, vault.lock and the temporaries vault.db.new,
// vault.db.old and vault.key.new. Anything else there is left alone, such
// as the app's erase.request and erase.done, which hold no personal data.
package vault
