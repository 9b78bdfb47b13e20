//! The encryption keys: found (or made, on a first start) before any command touches the store,
//! and rotated by `steward keys rotate`.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use steward_core::audit::Actor;
use steward_core::seal::Keyring;
use steward_store::Store;

/// The keyring from `STEWARD_KEYS` or the key file; a new key file when there is neither and the
/// database holds nothing sealed yet.
pub async fn load_or_create(config: &Config, store: &Store) -> Result<Arc<Keyring>> {
    let ring = find_or_make(config, store).await?;
    store.check_keyring(&ring).await.with_context(|| match &config.keys_text {
        Some(_) => "STEWARD_KEYS".to_string(),
        None => format!("key file {}", config.key_file.display()),
    })?;
    Ok(ring)
}

async fn find_or_make(config: &Config, store: &Store) -> Result<Arc<Keyring>> {
    if let Some(text) = &config.keys_text {
        return Ok(Arc::new(Keyring::parse(text).context("STEWARD_KEYS")?));
    }
    let path = &config.key_file;
    if path.exists() {
        return Ok(Arc::new(read(path)?));
    }
    if store.holds_sealed_data().await? {
        bail!(
            "the key file {} is missing, but the database holds encrypted case data: restore the key file \
             from its backup (or pass --key-file); a new key could not read that data",
            path.display()
        );
    }
    let ring = Keyring::generate();
    write(path, &ring, true)?;
    tracing::info!(key_file = %path.display(), "made a new encryption key; back it up apart from the database");
    Ok(Arc::new(ring))
}

fn read(path: &Path) -> Result<Keyring> {
    warn_if_readable_by_others(path);
    let text =
        std::fs::read_to_string(path).with_context(|| format!("could not read the key file {}", path.display()))?;
    Keyring::parse(&text).with_context(|| format!("key file {}", path.display()))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(key_file = %path.display(), "the key file is readable by other users: chmod 600 it");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

/// Writes the keyring readable by its owner only: to a temporary file beside it, then renamed
/// over, so a crash leaves either the old or the new file whole. `new` refuses to replace one.
fn write(path: &Path, ring: &Keyring, new: bool) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    }
    let tmp = path.with_extension("key.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).with_context(|| format!("could not write the key file {}", tmp.display()))?;
    file.write_all(ring.to_text().as_bytes())?;
    file.sync_all()?;
    if new && path.exists() {
        bail!("the key file {} appeared while Steward was making one; not replacing it", path.display());
    }
    std::fs::rename(&tmp, path).with_context(|| format!("could not replace the key file {}", path.display()))?;
    Ok(())
}

/// `steward keys rotate`: the new key is saved beside the old ones first, so that a failure at
/// any point leaves every value readable; only after all values are re-sealed are the old keys
/// dropped from the file.
pub async fn rotate(config: &Config) -> Result<()> {
    if config.keys_text.is_some() {
        bail!(
            "the keys come from STEWARD_KEYS; rotate with a key file (unset STEWARD_KEYS and pass --key-file), \
             then move the new file's text into the variable"
        );
    }
    let store = super::open(config).await?;
    let current = read(&config.key_file)?;
    let both = current.with_new_key();
    write(&config.key_file, &both, false)?;
    let resealed = store
        .with_keyring(Arc::new(both.clone()))
        .reseal_all(&Actor::cli())
        .await
        .context("re-encrypting (nothing was changed; the key file now also holds the new key)")?;
    let retired = current.key_ids();
    write(&config.key_file, &both.current_only(), false)?;
    println!(
        "re-encrypted {resealed} values under key {}; retired key(s) {:?} from {}. Backups taken before now need the old key file. \
         Restart every running Steward server now: until it loads the new key file it refuses to write (rather than seal with a retired key).",
        both.current_id(),
        retired,
        config.key_file.display()
    );
    Ok(())
}
