-- The site's settings (`pycells:` in _quarto.yml) and the page's (`pyodide:` in its front matter),
-- checked and read into the page config, with every site path as a URL relative to the page.
local report = require("pycells_report")
local options = require("pycells_options")
local page_place = require("pycells_page")
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

local function site_url(setting, value, offset)
  local url, problem = page_place.page_url(value, offset)
  if not url then fail("_quarto.yml", ("pycells: %s: %s"):format(setting, problem)) end
  return url
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
  local offset = page_place.site_offset(meta)
  local config = {
    engineUrl = site_url("engine-url", site["engine-url"] or default_engine_url, offset),
    packages = pandoc.List({ "numpy" }), wheels = pandoc.List(), cellDefaults = {},
  }
  if not config.engineUrl:match("/$") then config.engineUrl = config.engineUrl .. "/" end
  append_unique(config.packages, package_list("_quarto.yml pycells", site.packages))
  append_unique(config.packages, package_list("front matter pyodide", page.packages))
  for _, wheel in ipairs(as_list(site.wheels)) do
    config.wheels:insert(site_url("wheels", wheel, offset))
  end
  if site["keep-engine"] ~= nil then
    if type(site["keep-engine"]) ~= "boolean" then
      fail("_quarto.yml", "pycells: keep-engine: must be true or false")
    end
    config.keepEngine = site["keep-engine"]
  end
  if site["service-worker"] then
    config.serviceWorker = site_url("service-worker", site["service-worker"], offset)
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
