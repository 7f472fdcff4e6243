-- The site's settings (`pycells:` in _quarto.yml) and the page's (`pyodide:` in its front matter),
-- checked and read into the page config, with every site path as a URL relative to the page.
local report = require("pycells_report")
local options = require("pycells_options")
local fail = report.fail
local OPTION_TYPES, IGNORED_OPTIONS = options.OPTION_TYPES, options.IGNORED_OPTIONS
local parse_scalar, check_type = options.parse_scalar, options.check_type

local M = {}

-- Convert a pandoc meta value into plain Lua data (strings, booleans, lists, maps).
local function meta_to_lua(value)
  local kind = pandoc.utils.type(value)
  if kind == "boolean" or kind == "number" or kind == "string" then return value end
  if kind == "Inlines" or kind == "Blocks" then return pandoc.utils.stringify(value) end
  if kind == "List" then
    local list = {}
    for i, item in ipairs(value) do list[i] = meta_to_lua(item) end
    return list
  end
  if type(value) == "table" then
    local map = {}
    for k, item in pairs(value) do map[k] = meta_to_lua(item) end
    return map
  end
  return value
end

local function as_list(value)
  if value == nil then return {} end
  if type(value) ~= "table" then return { value } end
  return value
end

-- A `packages` setting: one name or a list of names.
local function package_list(where, value)
  local names = as_list(value)
  for key, name in pairs(names) do
    if type(key) ~= "number" or type(name) ~= "string" then
      fail(where, "'packages' must be a list of package names, e.g. [scipy, matplotlib]")
    end
  end
  return names
end

local function append_unique(target, items)
  for _, item in ipairs(items) do
    if not target:includes(item) then target:insert(item) end
  end
end

local function site_offset(meta)
  if quarto and quarto.project and quarto.project.offset then
    local offset = quarto.project.offset
    if type(offset) == "function" then offset = offset() end
    if offset then return offset end
  end
  local given = meta["page-offset"]
  return given and pandoc.utils.stringify(given) or "."
end

-- A site path ("/assets/x.whl": from the site root) or a full URL, as a URL for this page.
local function page_url(setting, value, offset)
  if value:match("^%a[%w+.-]*:") or value:match("^//") then return value end
  if not value:match("^/") then
    fail("_quarto.yml", ("pycells: %s: '%s' must start at the site root with '/' (write '/%s'), "
      .. "or be a full URL"):format(setting, value, value))
  end
  if offset == "." or offset == "" then return value:sub(2) end
  return offset .. value
end

local PER_CELL_ONLY = { "label", "exercise", "setup", "hint", "solution", "check" }

local PAGE_KEYS = { packages = true, ["cell-options"] = true }
local SITE_KEYS = { ["engine-url"] = true, wheels = true, packages = true, outputs = true, ["service-worker"] = true,
                    ["keep-engine"] = true }

local function check_keys(settings, allowed, where, hint)
  for key in pairs(settings) do
    if not allowed[key] then
      local moved = hint and hint(key)
      fail(where, ("unknown option '%s'%s"):format(key, moved or ""))
    end
  end
end

-- The site's settings (`pycells:` in _quarto.yml) and the page's (`pyodide:` in its
-- front matter) as one config table for the page.
local function read_config(meta, default_engine_url)
  local site = meta_to_lua(meta.pycells or {}) or {}
  local page = meta_to_lua(meta.pyodide or {}) or {}
  check_keys(site, SITE_KEYS, "_quarto.yml pycells")
  local page_defaults = page["cell-options"] or {}
  for key, value in pairs(page) do   -- a cell option right under `pyodide:` (as quarto-live pages write `autorun`)
    if OPTION_TYPES[key] or IGNORED_OPTIONS[key] then
      page_defaults[key] = value
      page[key] = nil
    end
  end
  check_keys(page, PAGE_KEYS, "front matter pyodide", function(key)
    if SITE_KEYS[key] then return " (a site setting: put it under 'pycells:' in _quarto.yml)" end
  end)
  local offset = site_offset(meta)
  local config = {
    engineUrl = page_url("engine-url", site["engine-url"] or default_engine_url, offset),
    packages = pandoc.List({ "numpy" }), wheels = pandoc.List(), cellDefaults = {},
  }
  if not config.engineUrl:match("/$") then config.engineUrl = config.engineUrl .. "/" end
  append_unique(config.packages, package_list("_quarto.yml pycells", site.packages))
  append_unique(config.packages, package_list("front matter pyodide", page.packages))
  for _, wheel in ipairs(as_list(site.wheels)) do
    config.wheels:insert(page_url("wheels", wheel, offset))
  end
  if site["keep-engine"] ~= nil then
    if type(site["keep-engine"]) ~= "boolean" then
      fail("_quarto.yml", "pycells: keep-engine: must be true or false")
    end
    config.keepEngine = site["keep-engine"]
  end
  if site["service-worker"] then
    config.serviceWorker = page_url("service-worker", site["service-worker"], offset)
  end
  if site.outputs then
    if type(site.outputs) ~= "string" or not site.outputs:match("^/") then
      fail("_quarto.yml", ("pycells: outputs: '%s' must be a folder of the project, starting at its root with '/' "
        .. "(e.g. '/_outputs')"):format(tostring(site.outputs)))
    end
    config.outputsFolder = site.outputs:sub(2)
  end
  for key, value in pairs(page_defaults) do
    if type(value) == "string" then value = parse_scalar(value) end
    config.cellDefaults[key] = check_type("front matter cell-options", key, value)
  end
  for _, key in ipairs(PER_CELL_ONLY) do
    if config.cellDefaults[key] ~= nil then
      fail("front matter cell-options", ("option '%s' belongs to single cells, not to the page"):format(key))
    end
  end
  return config, offset
end

M.read_config = read_config
return M
