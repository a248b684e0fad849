"""Static files storage: WhiteNoise's compressed manifest, with scripts' imports hashed too.

townhall.js imports GOV.UK Frontend as a module. Without rewriting that import to the
hashed name, a browser fetches the library twice (once from the page's script tag by its
hashed name, once by the import's plain name), and the plain name is only cached for a
minute.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
